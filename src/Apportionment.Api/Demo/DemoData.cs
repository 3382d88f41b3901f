namespace Apportionment.Api.Demo;

/// <summary>
/// Demo figures modelled on the Devon partnerships described in Mid Devon's 2018 scrutiny report on partnership
/// working. The councils, hosts, members and 60/40 and 50/50 splits come from the report; budgets, staff costs,
/// baselines and surveyor hours are plausible inventions, generated deterministically (a fixed seed) so every
/// start produces the same pennies. Costs run over two complete financial years, April 2024 to March 2026.
/// </summary>
public static class DemoData
{
    public static readonly Month FirstMonth = new(2024, 4);
    public const int Months = 24;
    public const int Seed = 20180501;

    /// <summary>The financial years the demo covers, for statements and savings.</summary>
    public static readonly IReadOnlyList<string> FinancialYears = ["2024-25", "2025-26"];

    /// <summary>The financial year whose months are closed (statements issued); the later one stays open.</summary>
    public const string ClosedYear = "2024-25";

    public sealed record DemoCouncil(string Code, string Name);

    public sealed record DemoShare(string Council, decimal Percent);

    /// <summary>
    /// A monthly cost line: who pays it, and its monthly amount in each financial year before ±3% noise.
    /// </summary>
    public sealed record CostLine(
        string Category,
        string PaidBy,
        decimal MonthlyYear1,
        decimal MonthlyYear2,
        string Description);

    /// <summary>
    /// A support service (overhead) recharged to the services it supports and, optionally, to councils directly;
    /// percentages for a fixed split, none for a driver split.
    /// </summary>
    public sealed record DemoSupport(IReadOnlyList<DemoShare> Services, IReadOnlyList<DemoShare> Councils);

    public sealed record DemoService(
        string Code, string Name, string Host, IReadOnlyList<string> Members, string Description,
        IReadOnlyList<DemoShare>? FixedShares, string? Driver,
        IReadOnlyList<CostLine> Costs, IReadOnlyDictionary<string, decimal> Baselines, string BaselineNote,
        DemoSupport? Supports = null);

    public static readonly IReadOnlyList<DemoCouncil> Councils =
    [
        new("MDDC", "Mid Devon District Council"),
        new("NDC", "North Devon Council"),
        new("SHDC", "South Hams District Council"),
        new("WDBC", "West Devon Borough Council"),
        new("DCC", "Devon County Council"),
        new("PCC", "Plymouth City Council"),
        new("TC", "Torbay Council"),
        new("TDC", "Torridge District Council"),
        new("TBC", "Teignbridge District Council"),
        new("EDDC", "East Devon District Council"),
        new("SSDC", "South Somerset District Council"),
    ];

    public const string BuildingControlDriver = "surveyor-hours";

    public const string AdminDriver = "admin-hours";

    public static readonly IReadOnlyList<DemoService> Services =
    [
        new("SHWD-PLANNING", "South Hams & West Devon planning", "SHDC", ["SHDC", "WDBC"],
            "One planning service for both councils since their shared senior team; costs split 60/40 by agreement "
                + "rather than case by case.",
            [new("SHDC", 60m), new("WDBC", 40m)], null,
            [
                new("staff", "SHDC", 152_000m, 157_500m, "Planning officers, enforcement and case administration"),
                new(
                    "running-costs",
                    "SHDC",
                    31_500m,
                    32_400m,
                    "Case management system, advertising, appeals and legal fees"),
            ],
            new Dictionary<string, decimal>(StringComparer.Ordinal) { ["SHDC"] = 1_540_000m, ["WDBC"] = 1_060_000m },
            "Estimated cost of running a planning service alone, before the shared senior team and restructure."),

        new("SHWD-IT", "South Hams & West Devon IT", "SHDC", ["SHDC", "WDBC"],
            "Shared ICT for both councils: one network, one case management platform, hot-desking and home working; "
                + "split 50/50.",
            [new("SHDC", 50m), new("WDBC", 50m)], null,
            [
                new("staff", "SHDC", 54_000m, 56_200m, "ICT team"),
                new("licences-and-hosting", "SHDC", 38_000m, 39_500m, "Software licences, hosting and telephony"),
            ],
            new Dictionary<string, decimal>(StringComparer.Ordinal) { ["SHDC"] = 715_000m, ["WDBC"] = 665_000m },
            "Estimated cost of each council keeping its own ICT team, systems and licences."),

        new("DAP", "Devon Audit Partnership", "DCC", ["DCC", "PCC", "TC", "TDC", "MDDC"],
            "Internal audit for Devon County, Plymouth and Torbay with Torridge and Mid Devon, hosted by Devon County "
                + "and governed by a joint committee; not for profit. Budget about £1.5m, reduced 10% a year by the "
                + "partners.",
            [new("DCC", 46m), new("PCC", 26m), new("TC", 14m), new("TDC", 7m), new("MDDC", 7m)], null,
            [
                // £1.5m in 2024-25, cut by 10% to £1.35m in 2025-26.
                new("staff", "DCC", 112_000m, 100_800m, "Audit staff (a combined team of about 36)"),
                new("running-costs", "DCC", 13_000m, 11_700m, "Audit management system, training and travel"),
            ],
            new Dictionary<string, decimal>(StringComparer.Ordinal)
            {
                ["DCC"] = 1_000_000m, ["PCC"] = 560_000m, ["TC"] = 300_000m, ["TDC"] = 150_000m, ["MDDC"] = 150_000m,
            },
            "Estimated cost of each council's own internal audit team before the five teams were combined."),

        new("BC-MDND", "Building Control Mid Devon & North Devon", "MDDC", ["MDDC", "NDC"],
            "Joint building control: surveyors in Tiverton and South Molton work wherever the applications are. Each "
                + "council pays its own staff; the cost is shared by surveyor hours spent in each council's area.",
            null, BuildingControlDriver,
            [
                new("staff", "MDDC", 17_900m, 18_450m, "Tiverton: 4 surveyors and 1.5 administrators"),
                new("staff", "NDC", 24_700m, 25_450m, "South Molton: 6 surveyors and 1 administrator"),
                new("software", "MDDC", 1_150m, 1_200m, "Workflow software and the virtual office"),
            ],
            new Dictionary<string, decimal>(StringComparer.Ordinal) { ["MDDC"] = 262_000m, ["NDC"] = 378_000m },
            "Estimated cost of a stand-alone building control team for the council's own area."),

        new("DBCP", "Devon Building Control Partnership", "TBC", ["TBC", "SHDC", "WDBC"],
            "Joint building control service for Teignbridge, South Hams and West Devon, hosted by Teignbridge.",
            [new("TBC", 45m), new("SHDC", 33m), new("WDBC", 22m)], null,
            [
                new("staff", "TBC", 93_500m, 96_300m, "Building control surveyors and technical support"),
                new("running-costs", "TBC", 16_500m, 17_000m, "Vehicles, equipment, systems and accommodation"),
            ],
            new Dictionary<string, decimal>(StringComparer.Ordinal) {
                ["TBC"] = 700_000m,
                ["SHDC"] = 530_000m,
                ["WDBC"] = 370_000m },
            "Estimated cost of each council's own building control service before the partnership."),

        // Overheads: support services whose cost belongs in the services they support (SeRCOP section 3).
        new("SHWD-ADMIN", "South Hams & West Devon shared admin team", "SHDC", ["SHDC", "WDBC"],
            "One admin team takes care of all admin for all services of both councils. Recharged by admin hours logged "
                + "against each service, and against each council's corporate and democratic core.",
            null, AdminDriver,
            [
                new("staff", "SHDC", 18_000m, 18_500m, "Business support officers (about 7 FTE)"),
                new("running-costs", "SHDC", 2_000m, 2_050m, "Post, printing and scanning"),
            ],
            new Dictionary<string, decimal>(StringComparer.Ordinal) { ["SHDC"] = 170_000m, ["WDBC"] = 130_000m },
            "Estimated cost of each council keeping its own admin team.",
            new DemoSupport(
                [new("SHWD-PLANNING", 0m), new("SHWD-IT", 0m), new("SHWD-DIGITAL", 0m)],
                [new("SHDC", 0m), new("WDBC", 0m)])),

        new("SHWD-DIGITAL", "South Hams & West Devon digital support", "SHDC", ["SHDC", "WDBC"],
            "Desktop support and case system administration for the services, the admin team included; the admin team "
                + "in turn does the digital team's admin, so the two support each other.",
            null, null,
            [
                new("staff", "SHDC", 8_000m, 8_200m, "Digital support officers"),
                new("licences", "SHDC", 1_500m, 1_550m, "Service desk and device management"),
            ],
            new Dictionary<string, decimal>(StringComparer.Ordinal) { ["SHDC"] = 75_000m, ["WDBC"] = 60_000m },
            "Estimated cost of each council's own desktop support.",
            new DemoSupport([new("SHWD-ADMIN", 20m), new("SHWD-IT", 30m), new("SHWD-PLANNING", 50m)], [])),
    ];

    /// <summary>
    /// Each service's net budget for a demo year: its planned monthly cost lines (before the month-to-month noise) for
    /// a year, profiled flat. DAP's is £1.5m in 2024-25 and £1.35m in 2025-26, on its 10% reduction target.
    /// </summary>
    public static decimal BudgetFor(DemoService service, string financialYear) =>
        12m * service.Costs.Sum(l => financialYear == FinancialYears[0] ? l.MonthlyYear1 : l.MonthlyYear2);

    public sealed record DemoTarget(string Service, decimal ReductionPercent, string BaseYear);

    /// <summary>The Devon Audit Partnership's partners cut its budget by 10% a year.</summary>
    public static readonly DemoTarget Target = new("DAP", 10m, "2024-25");

    public sealed record DemoProposal(string Service, Month EffectiveFrom, IReadOnlyList<DemoShare> Shares);

    /// <summary>
    /// A proposed, not yet approved, move of South Hams &amp; West Devon planning from 60/40 to 55/45 from January
    /// 2026, so each council can see what it would pay before deciding.
    /// </summary>
    public static readonly DemoProposal Proposal = new(
        "SHWD-PLANNING",
        new Month(2026, 1),
        [new("SHDC", 55m), new("WDBC", 45m)]);

    /// <summary>
    /// Where a service goes in a demo council's ledger, and its own cost accounts for GL extracts (account, category).
    /// </summary>
    public sealed record DemoServiceCodes(
        string Service, string CostCentre, string Account, string? RecoveryAccount, string Fund, string Subjective,
        IReadOnlyList<(string Account, string Category)> CostAccounts);

    public sealed record DemoLedgerCodes(
        string Council,
        string ControlAccount,
        string Ledger,
        IReadOnlyList<DemoServiceCodes> Services);

    /// <summary>
    /// Mid Devon's and North Devon's ledger codes from April 2024, so a journal can be pulled at once. Invented but
    /// shaped like a district council's chart: five-digit cost centres (with leading zeros), four-digit subjective
    /// accounts, the general fund, and a creditors/debtors control account for other local authorities.
    /// </summary>
    public static readonly IReadOnlyList<DemoLedgerCodes> LedgerCodes =
    [
        new("MDDC", "S8150", "MDDC", [
            new(
                "BC-MDND",
                "04410",
                "4620",
                "9430",
                "GF",
                "BUILDING CONTROL",
                [("0110", "staff"), ("4210", "software")]),
            new("DAP", "01620", "4620", null, "GF", "CORPORATE MANAGEMENT", []),
        ]),
        new("NDC", "S7700", "NDC", [
            new("BC-MDND", "02350", "5406", null, "GF", "BUILDING CONTROL", [("0110", "staff")]),
        ]),
    ];

    public sealed record MonthlyCost(
        string Service,
        Month Month,
        string Category,
        string PaidBy,
        decimal Amount,
        string Description,
        string Reference);

    public sealed record MonthlyActivity(
        string Service,
        Month Month,
        string Driver,
        IReadOnlyDictionary<string, decimal> Quantities);

    public static IEnumerable<Month> AllMonths => Enumerable.Range(0, Months).Select(FirstMonth.AddMonths);

    /// <summary>Every cost posting, in a fixed order, from one seeded generator: the same pennies every time.</summary>
    public static IReadOnlyList<MonthlyCost> Costs()
    {
        var random = new Random(Seed);
        // Support services draw from their own sequence, so adding them left the other services' pennies as they were.
        var supportRandom = new Random(Seed + 2);
        var costs = new List<MonthlyCost>();
        foreach (var month in AllMonths)
        {
            var secondYear = month.Index - FirstMonth.Index >= 12;
            foreach (var service in Services)
            {
                foreach (var line in service.Costs)
                {
                    var monthly = secondYear ? line.MonthlyYear2 : line.MonthlyYear1;
                    // ±3% month-to-month variation (overtime, agency cover, one-off purchases), to the penny.
                    var variation = 1m
                        + ((service.Supports is null ? random : supportRandom).Next(-300, 301) / 10_000m);
                    var amount = decimal.Round(monthly * variation, 2, MidpointRounding.AwayFromZero);
                    costs.Add(new MonthlyCost(service.Code, month, line.Category, line.PaidBy, amount, line.Description,
                        $"DEMO-{service.Code}-{month}-{line.Category}-{line.PaidBy}"));
                }
            }
        }

        return costs;
    }

    /// <summary>
    /// Surveyor hours logged against each council's area for the driver-split service. About ten surveyors log
    /// roughly 1,300 hours a month; North Devon's area takes most of them (Mid Devon's surveyors work there too),
    /// with fewer hours in August and December.
    /// </summary>
    public static IReadOnlyList<MonthlyActivity> Activity()
    {
        var random = new Random(Seed + 1);
        var activity = new List<MonthlyActivity>();
        foreach (var month in AllMonths)
        {
            var seasonal = month.Number is 8 or 12 ? 0.85m : 1m;
            var total = decimal.Round(1_300m * seasonal * (1m + (random.Next(-500, 501) / 10_000m)), 1);
            var midDevonShare = 0.36m + (random.Next(0, 601) / 10_000m); // 36%–42% of hours
            var midDevon = decimal.Round(total * midDevonShare, 1);
            activity.Add(new MonthlyActivity("BC-MDND", month, BuildingControlDriver,
                new Dictionary<string, decimal>(StringComparer.Ordinal)
                {
                    ["MDDC"] = midDevon,
                    ["NDC"] = total - midDevon
                }));
        }

        return [.. activity, .. AdminHours()];
    }

    /// <summary>
    /// Admin hours logged against each service the admin team supports and each council's corporate and democratic
    /// core: about 1,100 hours a month, over half for planning.
    /// </summary>
    private static IEnumerable<MonthlyActivity> AdminHours()
    {
        var random = new Random(Seed + 3);
        (string Recipient, decimal Hours)[] typical
            = [("SHWD-PLANNING", 600m), ("SHWD-IT", 165m), ("SHWD-DIGITAL", 220m), ("SHDC", 70m), ("WDBC", 45m)];
        foreach (var month in AllMonths)
        {
            yield return new MonthlyActivity("SHWD-ADMIN", month, AdminDriver, typical.ToDictionary(
                t => t.Recipient, t => decimal.Round(
                    t.Hours * (1m + (random.Next(-1_000, 1_001) / 10_000m)),
                    1), StringComparer.Ordinal));
        }
    }
}
