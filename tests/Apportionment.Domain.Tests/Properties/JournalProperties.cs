using Apportionment.Domain.Journals;

namespace Apportionment.Domain.Tests.Properties;

public class JournalProperties
{
    private static readonly LedgerAccount Control = new("0000", "8100");

    /// <summary>
    /// A council's statement: up to six services, each with a balance in some months of a financial year.
    /// </summary>
    private static readonly Gen<(Period Period, JournalEntry[] Entries)> Statements =
        from year in Gen.Int[2020, 2030]
        from services in Gen.Int[1, 6]
        from cells in Gen.Select(Gen.Int[0, services - 1], Gen.Int[0, 11], Generators.Amount).Array[0, 40]
        select (Period.FinancialYear(year), cells
            .DistinctBy(c => (c.Item1, c.Item2))
            .Select(c => new JournalEntry(
                $"S{c.Item1}",
                $"Service {c.Item1}",
                Period.FinancialYear(year).Months[c.Item2],
                c.Item3,
                new LedgerAccount($"CC{c.Item1:D3}", $"04{c.Item1}00", Fund: c.Item1 % 2 == 0 ? "GF" : null),
                Control))
            .ToArray());

    [Fact]
    public void Random_statements_give_balanced_journals_whose_service_lines_net_to_the_balances() =>
        Statements.Sample(
            s =>
            {
                var journal = JournalBuilder.Build("MDDC", s.Period, s.Entries, provisional: false);
                foreach (var voucher in journal.Vouchers)
                {
                    Assert.Equal(voucher.Lines.Sum(l => l.Debit), voucher.Lines.Sum(l => l.Credit));
                    Assert.All(voucher.Lines, l =>
                    {
                        Assert.True(l.Debit >= 0m && l.Credit >= 0m && (l.Debit == 0m) != (l.Credit == 0m), $"{l}");
                        Assert.True(Money.HasAtMostTwoPlaces(l.Debit) && Money.HasAtMostTwoPlaces(l.Credit));
                    });
                    Assert.Equal([1, 2], voucher.Lines.Select(l => l.LineNumber));
                }

                Assert.Equal(journal.TotalDebit, journal.TotalCredit);
                foreach (var service in s.Entries.GroupBy(e => e.Service))
                {
                    var net = journal.Vouchers.Where(v => v.Service == service.Key).SelectMany(v => v.Lines)
                        .Where(l => l.Kind == JournalLineKind.Service).Sum(l => l.Signed);
                    Assert.Equal(service.Sum(e => e.Balance), net);
                }

                Assert.Equal(s.Entries.Count(e => e.Balance != 0m), journal.Vouchers.Count);
                Assert.Equal(journal.Vouchers.Count, journal.Vouchers.Select(v => v.Reference).Distinct().Count());
            },
            iter: Generators.Iterations);

    [Fact]
    public void The_same_statement_gives_the_same_references_and_a_changed_figure_new_ones() =>
        Statements.Where(s => s.Entries.Any(e => e.Balance != 0m)).Sample(
            s =>
            {
                var first = JournalBuilder.Build("MDDC", s.Period, s.Entries, provisional: false);
                var again = JournalBuilder.Build("MDDC", s.Period, s.Entries.Reverse(), provisional: false);
                Assert.Equal(first.Reference, again.Reference);
                Assert.Equal(first.Vouchers.Select(v => v.Reference), again.Vouchers.Select(v => v.Reference));

                var changed = s.Entries.Select((e, i) => i == Array.FindIndex(s.Entries, x => x.Balance != 0m)
                    ? e with { Balance = e.Balance + 0.01m }
                    : e).ToArray();
                var moved = JournalBuilder.Build("MDDC", s.Period, changed, provisional: false);
                Assert.NotEqual(first.Reference, moved.Reference);
                Assert.NotEqual(
                    first.Reference,
                    JournalBuilder.Build("MDDC", s.Period, s.Entries, provisional: true).Reference);
            },
            iter: Generators.Iterations);

    [Fact]
    public void A_council_owed_money_credits_its_service_account_and_debits_the_control_account()
    {
        var month = new Month(2025, 4);
        var account = new LedgerAccount("0042", "04100");
        var journal = JournalBuilder.Build(
            "MDDC",
            Period.ForMonth(month),
            [new JournalEntry("BC", "Building control", month, -1234.5m, account, Control)],
            provisional: true);
        var lines = Assert.Single(journal.Vouchers).Lines;
        Assert.Equal((0.00m, 1234.50m), (lines[0].Debit, lines[0].Credit));
        Assert.Equal("0042", lines[0].Account.CostCentre);
        Assert.Equal((1234.50m, 0.00m), (lines[1].Debit, lines[1].Credit));
        Assert.Equal("PROVISIONAL BC Building control recharge Apr 2025", lines[1].Description);
        Assert.Equal(new DateOnly(2025, 4, 30), journal.Vouchers[0].Date);
    }
}
