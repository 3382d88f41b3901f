using System.Globalization;
using Apportionment.Api.Infrastructure.Documents;
using static Apportionment.Api.Infrastructure.Documents.SheetCell;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>
/// The pack's sections as tables, once: the xlsx writes each as a sheet (money as numbers) and the PDF prints the same
/// rows, so the two cannot disagree with each other or with the JSON they are made from.
/// </summary>
public static class ReviewPackSheets
{
    public const string Governance = "Governance";
    public const string Method = "Method";
    public const string Cost = "Cost by month";
    public const string Trading = "Trading account";
    public const string Savings = "Savings";
    public const string Indicators = "Indicators";
    public const string Agreements = "Agreements";
    public const string Total = "TOTAL";

    public static IReadOnlyList<SheetTable> For(ReviewPackDto pack) =>
        [GovernanceSheet(pack), MethodSheet(pack), CostSheet(pack), TradingSheet(pack), SavingsSheet(
            pack), IndicatorSheet(pack), AgreementSheet(pack)];

    public static string Date(DateOnly? date) => date?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "–";

    public static string Date(DateTimeOffset? at) => at is { } a ? Date(DateOnly.FromDateTime(a.UtcDateTime)) : "–";

    /// <summary>"April 2025 to September 2025", or "none".</summary>
    public static string MonthsText(ReviewPackDto pack, string status)
    {
        var months = pack.Months.Where(m => m.Status == status).Select(m => m.Month).ToList();
        return months.Count == 0
            ? "none"
            : months.Count == 1 ? MonthName(months[0]) : $"{MonthName(months[0])} to {MonthName(months[^1])}";
    }

    private static string MonthName(string month) =>
        DateTime.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture)
            .ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    private static SheetTable GovernanceSheet(ReviewPackDto pack)
    {
        var t = new SheetTable(Governance, "fact", "value")
            .Row(Of("Service"), Of(pack.Service)).Row(Of("Name"), Of(pack
                .ServiceName)).Row(Of("Host council"), Of(pack.HostCouncil))
            .Row(Of("Financial year"), Of(pack.FinancialYear)).Row(Of("Produced"), Of(Date(pack.GeneratedAt)))
            .Row(Of("Months closed"), Of(MonthsText(pack, ReviewPackReader.Closed)))
            .Row(Of("Months provisional"), Of(MonthsText(pack, ReviewPackReader.Provisional)));
        if (pack.Governance is not { } g)
        {
            return t.Row(Of("Governance"), Of("Not recorded by the host council yet."));
        }

        return t.Row(Of("Members"), Of(string.Join(", ", g.Members))).Row(Of("Legal basis"), Of(g.LegalBasis))
            .Row(Of("Agreement start"), Of(Date(g.AgreementStart))).Row(
                Of("Agreement end"),
                Of(g.AgreementEnd is null ? "open-ended" : Date(g.AgreementEnd)))
            .Row(Of("Exit notice (months)"), Number(g
                .ExitNoticeMonths)).Row(Of("Notice to leave by"), Of(Date(g.NoticeBy)))
            .Row(Of("Next review"), Of(Date(g.NextReview)))
            .Row(Of("Business case saving a year"), Money(g
                .SavingsTarget)).Row(Of("Business case baseline year"), Of(g.BaselineYear ?? "–"));
    }

    private static SheetTable MethodSheet(ReviewPackDto pack)
    {
        var t = new SheetTable(Method, "council", "basis", "agreedPercent", "driverCount", "sharePercent", "share");
        foreach (var c in pack.Method.Councils)
        {
            t.Row(
                Of(c.Council),
                Of(pack.Method.Basis),
                Number(c.AgreedPercent),
                Number(c.DriverCount),
                Number(c.SharePercent),
                Money(c.Share));
        }

        return t.Row(Of(Total), Of(pack.Method.Basis), Of(null), Number(pack.Method.Councils
            .Any(c => c.DriverCount is not null)
            ? pack.Method.Councils.Sum(c => c.DriverCount
                ?? 0) : null), Of(null), Money(pack.Method.Councils.Sum(c => c.Share)));
    }

    private static SheetTable CostSheet(ReviewPackDto pack)
    {
        var c = pack.Cost;
        var t = new SheetTable(
            Cost,
            "month",
            "status",
            "netCost",
            "budget",
            "variance",
            "lastYear",
            "units",
            "unitCost");
        foreach (var m in c.Months)
        {
            t.Row(
                Of(m.Month),
                Of(m.Status),
                Money(m.NetCost),
                Money(m.Budget),
                Money(m.Variance),
                Money(m.LastYear),
                Number(m.Units),
                Money(m.UnitCost));
        }

        t.Row(
            Of(Total),
            Of(pack.FinancialYear),
            Money(c.NetCost),
            Money(c.Budget),
            Money(c.Variance),
            Money(c.LastYear),
            Number(c.Units),
            Money(c.UnitCost));
        return c.ReductionTarget is { } target
            ? t.Row(Of("TARGET"), Of("budget reduction target"), Of(null), Money(target))
            : t;
    }

    private static SheetTable TradingSheet(ReviewPackDto pack)
    {
        var t = new SheetTable(Trading, "council", "budgetShare", "actualShare", "incomeShare", "surplusDeficit");
        foreach (var l in pack.TradingAccount.Councils.Append(pack.TradingAccount.Total))
        {
            t.Row(
                Of(l.Council),
                Money(l.BudgetShare),
                Money(l.ActualShare),
                Money(l.IncomeShare),
                Money(l.SurplusDeficit));
        }

        return t;
    }

    private static SheetTable SavingsSheet(ReviewPackDto pack)
    {
        var s = pack.Savings;
        var t = new SheetTable(Savings, "council", "baseline", "share", "saving");
        foreach (var c in s.Councils)
        {
            t.Row(Of(c.Council), Money(c.Baseline), Money(c.Share), Money(c.Saving));
        }

        t.Row(Of(Total), Money(s.Baseline), Money(s.Share), Money(s.Saving));
        return s.BusinessCaseTarget is { } target
            ? t.Row(Of("BUSINESS CASE TARGET"), Of(s.BaselineYear), Of(null), Money(target))
                .Row(Of("AGAINST TARGET"), Of(null), Of(null), Money(s.AgainstTarget))
            : t;
    }

    private static SheetTable IndicatorSheet(ReviewPackDto pack)
    {
        var t = new SheetTable(
            Indicators,
            "key",
            "name",
            "unit",
            "period",
            "council",
            "actual",
            "target",
            "status",
            "lastYear",
            "trend");
        foreach (var i in pack.Indicators)
        {
            foreach (var p in i.Periods)
            {
                foreach (var (council, r) in p.Councils.Select(c => (c.Council, c.Result))
                    .Prepend(("service", p.Service)))
                {
                    t.Row(
                        Of(i.Key),
                        Of(i.Name),
                        Of(i.Unit),
                        Of(p.Period),
                        Of(council),
                        Number(r.Actual),
                        Number(r.Target),
                        Of(r.Status),
                        Number(r.LastYear),
                        Of(r.Trend));
                }
            }
        }

        return t;
    }

    private static SheetTable AgreementSheet(ReviewPackDto pack)
    {
        var t = new SheetTable(
            Agreements,
            "id",
            "effectiveFrom",
            "method",
            "driver",
            "status",
            "proposed",
            "agreed",
            "approvals");
        foreach (var a in pack.Agreements)
        {
            t.Row(
                Of(a.Id.ToString()),
                Of(a.EffectiveFrom),
                Of(a.Method),
                Of(a.Driver),
                Of(a.Status),
                Of(Date(a.ProposedAt)),
                Of(a.AgreedAt is null ? null : Date(a
                    .AgreedAt)),
                Of(string.Join("; ", a.Approvals.Select(x => $"{x.Council} {Date(x.ApprovedAt)}"))));
        }

        return t;
    }
}
