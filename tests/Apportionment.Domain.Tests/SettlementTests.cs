namespace Apportionment.Domain.Tests;

public class SettlementTests
{
    [Fact]
    public void Building_control_councils_paying_their_own_surveyors_settle_with_one_transfer()
    {
        // Shares from the surveyor-hours split; MDDC paid £11,000 of salaries, NDC £9,000.
        var shares = new Dictionary<string, decimal> { ["MDDC"] = 12_407.59m, ["NDC"] = 7_592.41m };
        var paid = new Dictionary<string, decimal> { ["MDDC"] = 11_000.00m, ["NDC"] = 9_000.00m };

        var netted = Settlement.Settle(SettlementModel.Netting, "MDDC", shares, paid);
        var viaHost = Settlement.Settle(SettlementModel.Host, "MDDC", shares, paid);

        Assert.Equal([new Transfer("MDDC", "NDC", 1_407.59m)], netted);
        Assert.Equal([new Transfer("MDDC", "NDC", 1_407.59m)], viaHost);
    }

    [Fact]
    public void Audit_partners_each_pay_the_host_their_share()
    {
        var shares = new Dictionary<string, decimal>
        {
            ["DCC"] = 4_000.01m,
            ["MDDC"] = 1_500.01m,
            ["PCC"] = 1_500.01m,
            ["TDC"] = 1_500.00m,
            ["TORR"] = 1_500.00m,
        };
        var paid = new Dictionary<string, decimal> { ["DCC"] = 10_000.03m };

        var transfers = Settlement.Settle(SettlementModel.Host, "DCC", shares, paid);

        Assert.Equal(
            [
                new Transfer("MDDC", "DCC", 1_500.01m), new Transfer("PCC", "DCC", 1_500.01m),
                new Transfer("TDC", "DCC", 1_500.00m), new Transfer("TORR", "DCC", 1_500.00m),
            ],
            transfers);
    }

    [Fact]
    public void The_host_refunds_a_partner_who_overpaid_and_square_partners_need_no_transfer()
    {
        var shares = new Dictionary<string, decimal> { ["DCC"] = 600m, ["MDDC"] = 300m, ["TDC"] = 100m };
        var paid = new Dictionary<string, decimal> { ["DCC"] = 500m, ["MDDC"] = 400m, ["TDC"] = 100m };

        var transfers = Settlement.Settle(SettlementModel.Host, "DCC", shares, paid);

        Assert.Equal([new Transfer("DCC", "MDDC", 100m)], transfers);
    }

    [Fact]
    public void Netting_pairs_the_largest_debtor_with_the_largest_creditor()
    {
        // Balances: A owes 50, B owes 30, C is owed 60, D is owed 20.
        var shares = new Dictionary<string, decimal> { ["A"] = 50m, ["B"] = 30m, ["C"] = 0m, ["D"] = 0m };
        var paid = new Dictionary<string, decimal> { ["C"] = 60m, ["D"] = 20m };

        var transfers = Settlement.Settle(SettlementModel.Netting, "A", shares, paid);

        Assert.Equal(
            [new Transfer("A", "C", 50m), new Transfer("B", "D", 20m), new Transfer("B", "C", 10m)],
            transfers);
    }

    [Fact]
    public void Netting_breaks_ties_by_council_code()
    {
        var shares = new Dictionary<string, decimal> { ["Y"] = 10m, ["X"] = 10m };
        var paid = new Dictionary<string, decimal> { ["Q"] = 10m, ["P"] = 10m };

        var transfers = Settlement.Settle(SettlementModel.Netting, "X", shares, paid);

        Assert.Equal([new Transfer("X", "P", 10m), new Transfer("Y", "Q", 10m)], transfers);
    }

    [Fact]
    public void Everyone_square_means_no_transfers()
    {
        var both = new Dictionary<string, decimal> { ["SHDC"] = 60m, ["WDBC"] = 40m };

        Assert.Empty(Settlement.Settle(SettlementModel.Host, "SHDC", both, both));
        Assert.Empty(Settlement.Settle(SettlementModel.Netting, "SHDC", both, both));
    }

    [Fact]
    public void Shares_and_payments_must_total_the_same()
    {
        var shares = new Dictionary<string, decimal> { ["SHDC"] = 60m, ["WDBC"] = 40m };
        var paid = new Dictionary<string, decimal> { ["SHDC"] = 100.01m };

        var error = Assert.Throws<ArgumentException>(
            () => Settlement.Settle(SettlementModel.Host, "SHDC", shares, paid));
        Assert.Contains("100.01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fractions_of_a_penny_are_refused()
    {
        var shares = new Dictionary<string, decimal> { ["SHDC"] = 60.001m, ["WDBC"] = 39.999m };
        var paid = new Dictionary<string, decimal> { ["SHDC"] = 100m };

        Assert.Throws<ArgumentException>(() => Settlement.Settle(SettlementModel.Host, "SHDC", shares, paid));
    }
}
