using static Apportionment.Domain.Tests.Councils;

namespace Apportionment.Domain.Tests;

public class ApportionerTests
{
    [Fact]
    public void South_Hams_and_West_Devon_share_planning_60_40_and_IT_50_50()
    {
        var planning = Apportioner.Apportion(
            "PLAN-SHWD",
            Period.Parse("2024-05"),
            [Month("2024-05", 12_345.67m, Planning6040)]);
        var it = Apportioner.Apportion(
            "IT-SHWD",
            Period.Parse("2024-05"),
            [Month("2024-05", 1_000.01m, Agreement(SplitRule.Fixed([new("SHDC", 50m), new("WDBC", 50m)])))]);

        Assert.Equal(7_407.40m, planning.ShareOf("SHDC"));
        Assert.Equal(4_938.27m, planning.ShareOf("WDBC"));

        // Half of £1,000.01 is £500.005 each: the odd penny goes to SHDC, first in code order.
        Assert.Equal(500.01m, it.ShareOf("SHDC"));
        Assert.Equal(500.00m, it.ShareOf("WDBC"));
    }

    [Fact]
    public void Audit_partnership_of_five_councils_reconciles_to_the_penny()
    {
        // £10,000.03: DCC 40% = 4,000.012; each 15% = 1,500.0045. Truncated 4,000.01 + 4 × 1,500.00 leaves 2p,
        // which go to the 0.45p remainders in code order: MDDC then PCC.
        var result = Apportioner.Apportion(
            "DAP",
            Period.Parse("2024-06"),
            [Month("2024-06", 10_000.03m, AuditPartnership)]);

        Assert.Equal(
            [new("DCC", 4_000.01m), new("MDDC", 1_500.01m), new("PCC", 1_500.01m), new("TDC", 1_500.00m), new(
                "TORR",
                1_500.00m)],
            result.Allocations);
        Assert.Equal(10_000.03m, result.NetCost);
    }

    [Fact]
    public void Building_control_is_split_by_surveyor_hours()
    {
        // 310.5 and 190 hours of 500.5: MDDC exact 12,407.592…, NDC 7,592.407…; the spare penny goes to NDC's .76p
        // remainder.
        var hours = new Dictionary<string, decimal> { ["MDDC"] = 310.5m, ["NDC"] = 190m };
        var result = Apportioner.Apportion(
            "BC-MDNDDC",
            Period.Parse("2024-07"),
            [Month("2024-07", 20_000.00m, BuildingControl, hours)]);

        Assert.Equal(12_407.59m, result.ShareOf("MDDC"));
        Assert.Equal(7_592.41m, result.ShareOf("NDC"));
        Assert.Equal(SplitMethod.Driver, Assert.Single(result.Months).Method);
        Assert.Equal(BuildingControl.AgreementId, result.Months[0].AgreementId);
    }

    [Fact]
    public void A_ratio_change_in_October_is_honoured_across_the_financial_year()
    {
        var from = Agreement(SplitRule.Fixed([new("SHDC", 60m), new("WDBC", 40m)]));
        var to = Agreement(SplitRule.Fixed([new("SHDC", 55m), new("WDBC", 45m)]));
        var months = Period.Parse("2024-25").Months
            .Select(m => new ServiceMonthInput(m, 1_000.00m, m < new Domain.Month(2024, 10) ? from : to, null));

        var year = Apportioner.Apportion("PLAN-SHWD", Period.Parse("2024-25"), months);

        // Six months at £600 + six at £550 for SHDC; six at £400 + six at £450 for WDBC.
        Assert.Equal(6_900.00m, year.ShareOf("SHDC"));
        Assert.Equal(5_100.00m, year.ShareOf("WDBC"));
        Assert.Equal(12_000.00m, year.NetCost);
        Assert.Equal(57.5m, year.SharePercentOf("SHDC"));
        Assert.Equal(from.AgreementId, year.Months[5].AgreementId);
        Assert.Equal(to.AgreementId, year.Months[6].AgreementId);
    }

    [Fact]
    public void Income_months_are_credited_back_in_the_same_proportions()
    {
        var quarter = Apportioner.Apportion(
            "PLAN-SHWD",
            Period.Parse("2024-25-Q1"),
            [
                Month("2024-04", 5_000.00m, Planning6040),
                Month("2024-05", -10.01m, Planning6040),
                Month("2024-06", -1_000.00m, Planning6040),
            ]);

        // May: -6.006/-4.004 → -6.01/-4.00. Totals 3,000 - 6.01 - 600 and 2,000 - 4.00 - 400.
        Assert.Equal(-6.01m, quarter.Months[1].Allocations[0].Amount);
        Assert.Equal(2_393.99m, quarter.ShareOf("SHDC"));
        Assert.Equal(1_596.00m, quarter.ShareOf("WDBC"));
        Assert.Equal(3_989.99m, quarter.NetCost);
    }

    [Fact]
    public void Equal_three_way_split_of_100_pounds()
    {
        var result = Apportioner.Apportion(
            "LEGAL",
            Period.Parse("2024-08"),
            [Month("2024-08", 100.00m, Agreement(SplitRule.Equal(["TDC", "NDC", "MDDC"])))]);

        Assert.Equal([new("MDDC", 33.34m), new("NDC", 33.33m), new("TDC", 33.33m)], result.Allocations);
    }

    [Fact]
    public void A_driver_month_with_missing_figures_names_the_service_driver_month_and_councils()
    {
        var hours = new Dictionary<string, decimal> { ["NDC"] = 190m };

        var error = Assert.Throws<ApportionmentException>(() => Apportioner.Apportion(
            "BC-MDNDDC",
            Period.Parse("2024-25-Q2"),
            [Month("2024-07", 20_000.00m, BuildingControl, hours)]));

        Assert.Equal(
            "Service BC-MDNDDC cannot be apportioned for 2024-07: driver 'surveyor-hours' has no figure for MDDC.",
            error.Message);
        Assert.Equal(["MDDC"], error.CouncilsWithoutFigures);
        Assert.Equal(new Domain.Month(2024, 7), error.Month);
        Assert.Equal("BC-MDNDDC", error.Service);
        Assert.Equal(ApportionmentFailure.MissingDriverFigures, error.Failure);
    }

    [Fact]
    public void A_driver_month_with_no_figures_at_all_lists_every_council()
    {
        var error = Assert.Throws<ApportionmentException>(() => Apportioner.Apportion(
            "BC-MDNDDC",
            Period.Parse("2024-08"),
            [Month("2024-08", 1.00m, BuildingControl)]));

        Assert.Equal(["MDDC", "NDC"], error.CouncilsWithoutFigures);
        Assert.Contains("no figure for MDDC, NDC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_driver_month_with_zero_total_activity_cannot_be_apportioned()
    {
        var none = new Dictionary<string, decimal> { ["MDDC"] = 0m, ["NDC"] = 0m };

        var error = Assert.Throws<ApportionmentException>(() => Apportioner.Apportion(
            "BC-MDNDDC",
            Period.Parse("2024-09"),
            [Month("2024-09", 500.00m, BuildingControl, none)]));

        Assert.Equal(ApportionmentFailure.ZeroDriverActivity, error.Failure);
        Assert.StartsWith(
            "Service BC-MDNDDC cannot be apportioned for 2024-09: driver 'surveyor-hours'",
            error.Message,
            StringComparison.Ordinal);
        Assert.Empty(error.CouncilsWithoutFigures);
    }

    [Fact]
    public void A_negative_activity_figure_is_refused()
    {
        var hours = new Dictionary<string, decimal> { ["MDDC"] = -1m, ["NDC"] = 10m };

        var error = Assert.Throws<ApportionmentException>(() => Apportioner.Apportion(
            "BC-MDNDDC",
            Period.Parse("2024-09"),
            [Month("2024-09", 500.00m, BuildingControl, hours)]));

        Assert.Equal(ApportionmentFailure.NegativeDriverFigure, error.Failure);
        Assert.Contains("MDDC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_driver_month_without_cost_needs_no_figures()
    {
        var result = Apportioner.Apportion(
            "BC-MDNDDC",
            Period.Parse("2024-09"),
            [Month("2024-09", 0m, BuildingControl)]);

        Assert.All(result.Allocations, a => Assert.Equal(0m, a.Amount));
    }

    [Fact]
    public void A_month_with_cost_but_no_agreement_cannot_be_apportioned()
    {
        var error = Assert.Throws<ApportionmentException>(() => Apportioner.Apportion(
            "PLAN-SHWD",
            Period.Parse("2024-25-Q1"),
            [Month("2024-04", 100m, Planning6040), Month("2024-05", 250.00m, null)]));

        Assert.Equal(
            "Service PLAN-SHWD cannot be apportioned for 2024-05: no agreed split agreement is in force.",
            error.Message);
        Assert.Equal(ApportionmentFailure.NoAgreementInForce, error.Failure);
    }

    [Fact]
    public void A_month_with_no_cost_and_no_agreement_contributes_nothing()
    {
        var result = Apportioner.Apportion(
            "PLAN-SHWD",
            Period.Parse("2024-25-Q1"),
            [Month("2024-04", 0m, null), Month("2024-05", 100m, Planning6040)]);

        Assert.Equal(100m, result.NetCost);
        Assert.Empty(result.Months[0].Allocations);
        Assert.Null(result.Months[0].AgreementId);
        Assert.Null(result.Months[0].Method);
        Assert.Equal(60m, result.ShareOf("SHDC"));
    }

    [Fact]
    public void Councils_from_every_months_agreement_appear_in_code_order()
    {
        // A third council joins the audit partnership's predecessor arrangement part-way through the quarter.
        var result = Apportioner.Apportion(
            "DAP",
            Period.Parse("2024-25-Q1"),
            [Month("2024-06", 10_000.03m, AuditPartnership), Month(
                "2024-04",
                100m,
                Agreement(SplitRule.Equal(["ZZDC", "DCC"])))]);

        Assert.Equal(["DCC", "MDDC", "PCC", "TDC", "TORR", "ZZDC"], result.Allocations.Select(a => a.Council));
        Assert.Equal(4_050.01m, result.ShareOf("DCC"));
        Assert.Equal(50m, result.ShareOf("ZZDC"));
        Assert.Equal(0m, result.ShareOf("NDC"));
        Assert.Equal(["2024-04", "2024-06"], result.Months.Select(m => m.Month.ToString()));
    }

    [Fact]
    public void Share_percent_is_zero_when_there_is_no_cost()
    {
        var result = Apportioner.Apportion("PLAN-SHWD", Period.Parse("2024-05"), [Month("2024-05", 0m, Planning6040)]);

        Assert.Equal(0m, result.SharePercentOf("SHDC"));
    }

    [Fact]
    public void Share_percent_is_rounded_to_four_places()
    {
        var result = Apportioner.Apportion(
            "LEGAL",
            Period.Parse("2024-05"),
            [Month("2024-05", 100m, Agreement(SplitRule.Equal(["A", "B", "C"])))]);

        Assert.Equal(33.34m, result.SharePercentOf("A"));
        Assert.Equal(33.33m, result.SharePercentOf("B"));

        var odd = Apportioner.Apportion(
            "LEGAL",
            Period.Parse("2024-05"),
            [Month("2024-05", 3.00m, Agreement(SplitRule.Fixed([new("A", 70m), new("B", 30m)])))]);
        Assert.Equal(70m, odd.SharePercentOf("A"));

        var thirds = Apportioner.Apportion(
            "LEGAL",
            Period.Parse("2024-05"),
            [Month("2024-05", 7.00m, Agreement(SplitRule.Equal(["A", "B", "C"])))]);
        Assert.Equal(33.4286m, thirds.SharePercentOf("A")); // 2.34 / 7.00 = 33.428571…%
    }

    [Fact]
    public void Inputs_that_break_the_rules_are_rejected()
    {
        Assert.Throws<ArgumentException>(
            () => Apportioner.Apportion("PLAN", Period.Parse("2024-05"), [Month("2024-05", 1.001m, Planning6040)]));
        Assert.Throws<ArgumentException>(
            () => Apportioner.Apportion("PLAN", Period.Parse("2024-05"), [Month("2024-06", 1m, Planning6040)]));
        Assert.Throws<ArgumentException>(() => Apportioner.Apportion(
            "PLAN",
            Period.Parse("2024-25"),
            [Month("2024-06", 1m, Planning6040), Month("2024-06", 2m, Planning6040)]));
    }
}
