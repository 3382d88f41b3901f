using Apportionment.Api.Features.Partnerships;
using Apportionment.Domain;
using Mediator;

namespace Apportionment.Api.Demo;

/// <summary>
/// Governance facts and performance indicators for the demo partnerships. From Mid Devon's 2018 report: the Devon
/// Audit Partnership started in April 2009, is hosted by Devon County and governed as a joint committee, its partners
/// cut its budget by 10% a year and its estimated saving is £800,000; the Devon Building Control Partnership's is
/// £300,000; the Mid Devon and North Devon building control partnership had no savings target. Indicators are those
/// committees follow (planning majors in 13 weeks and minors in 8, building control decisions in time and market
/// share, audit plan days delivered); review dates, notice periods and every indicator value are plausible inventions,
/// generated from a fixed seed.
/// </summary>
public static class DemoPartnerships
{
    public sealed record DemoGovernance(
        string Service, string LegalBasis, DateOnly Start, DateOnly? End, int ExitNoticeMonths, DateOnly NextReview,
        decimal? SavingsTarget, string? BaselineYear);

    public sealed record DemoIndicator(
        string Service, string Key, string Name, string Unit, string Polarity, string Frequency, decimal Target,
        decimal? Baseline,
        decimal Typical, decimal Spread, IReadOnlyList<string> Councils);

    public static readonly IReadOnlyList<DemoGovernance> Governance =
    [
        new("DAP", "Joint committee of the partner councils (Local Government Act 1972, ss. 101–102), hosted by Devon "
            + "County Council; not for profit.",
            new(2009, 4, 1), null, 12, new(2027, 3, 31), 800_000m, "2008-09"),
        new("DBCP", "Joint building control service under a partnership agreement, delegated to Teignbridge as host "
            + "(Local Government Act 1972, s. 101).",
            new(2016, 4, 1), new(2028, 3, 31), 12, new(2027, 9, 30), 300_000m, "2015-16"),
        new("BC-MDND", "Shared service agreement: each council's surveyors placed at the other's disposal (Local "
            + "Government Act 1972, s. 113); hosted by Mid Devon.",
            new(2024, 4, 1), new(2027, 3, 31), 6, new(2026, 12, 31), null, null),
        new("SHWD-PLANNING", "One officer structure for both councils under a shared services agreement (Local "
            + "Government Act 1972, s. 113).",
            new(2013, 4, 1), null, 12, new(2027, 6, 30), 250_000m, "2012-13"),
        new(
            "SHWD-IT",
            "Part of the South Hams and West Devon shared services agreement (Local Government Act 1972, s. 113).",
            new(2013, 4, 1),
            null,
            12,
            new(2027, 6, 30),
            150_000m,
            "2012-13"),
        new(
            "SHWD-ADMIN",
            "Part of the South Hams and West Devon shared services agreement (Local Government Act 1972, s. 113).",
            new(2013, 4, 1),
            null,
            12,
            new(2027, 6, 30),
            null,
            null),
        new(
            "SHWD-DIGITAL",
            "Part of the South Hams and West Devon shared services agreement (Local Government Act 1972, s. 113).",
            new(2013, 4, 1),
            null,
            12,
            new(2027, 6, 30),
            null,
            null),
    ];

    public static readonly IReadOnlyList<DemoIndicator> Indicators =
    [
        new(
            "BC-MDND",
            "decided-in-time",
            "Applications decided within the statutory period",
            "%",
            IndicatorRules.HigherIsBetter,
            IndicatorRules.Monthly,
            95m,
            88m,
            94.5m,
            3m,
            []),
        new(
            "BC-MDND",
            "market-share",
            "Building control market share",
            "%",
            IndicatorRules.HigherIsBetter,
            IndicatorRules.Quarterly,
            80m,
            72m,
            79.5m,
            2.5m,
            ["MDDC", "NDC"]),
        new(
            "DBCP",
            "market-share",
            "Building control market share",
            "%",
            IndicatorRules.HigherIsBetter,
            IndicatorRules.Quarterly,
            75m,
            70m,
            74m,
            3m,
            ["SHDC", "TBC", "WDBC"]),
        new(
            "DAP",
            "audit-days-delivered",
            "Audit plan days delivered",
            "% of plan",
            IndicatorRules.HigherIsBetter,
            IndicatorRules.Quarterly,
            90m,
            82m,
            90m,
            5m,
            ["DCC", "MDDC", "PCC", "TC", "TDC"]),
        new(
            "SHWD-PLANNING",
            "majors-13-weeks",
            "Major applications decided within 13 weeks",
            "%",
            IndicatorRules.HigherIsBetter,
            IndicatorRules.Quarterly,
            60m,
            55m,
            66m,
            10m,
            ["SHDC", "WDBC"]),
        new(
            "SHWD-PLANNING",
            "minors-8-weeks",
            "Minor and other applications decided within 8 weeks",
            "%",
            IndicatorRules.HigherIsBetter,
            IndicatorRules.Quarterly,
            70m,
            62m,
            71m,
            6m,
            ["SHDC", "WDBC"]),
    ];

    public static async Task LoadAsync(IMediator mediator, CancellationToken ct)
    {
        foreach (var g in Governance)
        {
            await mediator.Send(new PutGovernance(
                g.LegalBasis,
                g.Start,
                g.End,
                g.ExitNoticeMonths,
                g.NextReview,
                g.SavingsTarget,
                g.BaselineYear)
            {
                Service = g.Service,
            }, ct);
        }

        var random = new Random(DemoData.Seed);
        foreach (var i in Indicators)
        {
            var targets = DemoData.FinancialYears.ToDictionary(y => y, _ => i.Target, StringComparer.Ordinal);
            await mediator.Send(new PutIndicator(i.Name, i.Unit, i.Polarity, i.Frequency, targets, i.Baseline)
            {
                Service = i.Service,
                Key = i.Key
            }, ct);
            foreach (var period in DemoData.FinancialYears
                .SelectMany(y => IndicatorRules.PeriodsOf(i.Frequency, Period.Parse(y))))
            {
                foreach (var council in i.Councils.Prepend(null))
                {
                    var value = Math.Clamp(
                        Math.Round(i.Typical + ((decimal)random.NextDouble() * 2m - 1m) * i.Spread, 1),
                        0m,
                        100m);
                    await mediator.Send(new PutIndicatorValue(council, value, null)
                    {
                        Service = i.Service,
                        Key = i.Key,
                        Period = period.ToString()
                    }, ct);
                }
            }
        }
    }
}
