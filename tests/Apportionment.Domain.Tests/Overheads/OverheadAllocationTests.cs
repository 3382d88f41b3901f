using static Apportionment.Domain.Tests.Councils;

namespace Apportionment.Domain.Tests.Overheads;

public class OverheadAllocationTests
{
    private static readonly Period May = Period.Parse("2025-05");

    private static SupportAgreementInForce Supports(
        params (string Code, bool IsService, decimal Percent)[] recipients) =>
        new(Guid.NewGuid(), SupportRule.Create("X", SplitMethod.Fixed,
            recipients.Where(r => !r.IsService).Select(r => new CouncilShare(r.Code, r.Percent)).ToList(), null,
            recipients.Where(r => r.IsService).Select(r => new SupportedShare(r.Code, r.Percent)).ToList(), null));

    private static KeyValuePair<string, IReadOnlyList<ServiceMonthInput>> Service(
        string code,
        decimal direct,
        SupportAgreementInForce? support = null) =>
        new(code, [new ServiceMonthInput(
            Domain.Month.Parse("2025-05"),
            direct,
            support is null ? Planning6040 : null,
            null,
            support)]);

    private static OverheadApportionment Run(
        params KeyValuePair<string, IReadOnlyList<ServiceMonthInput>>[] services) =>
        OverheadApportioner.Apportion(May, services.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal));

    private static decimal Flow(OverheadApportionment result, string from, string to) =>
        result.Months.SelectMany(m => m.Flows).Where(f => f.From == from && f.To.Code == to).Sum(f => f.Amount);

    [Fact]
    public void Three_levels_step_down_in_dependency_order()
    {
        // Admin supports IT and planning; IT supports finance and planning; finance supports planning.
        var result = Run(
            Service("ADMIN", 1_000m, Supports(("IT", true, 20m), ("PLAN", true, 80m))),
            Service("IT", 600m, Supports(("FIN", true, 50m), ("PLAN", true, 50m))),
            Service("FIN", 300m, Supports(("PLAN", true, 100m))),
            Service("PLAN", 10_000m));

        Assert.Equal(200m, Flow(result, "ADMIN", "IT"));
        Assert.Equal(800m, Flow(result, "ADMIN", "PLAN"));
        Assert.Equal(400m, Flow(result, "IT", "FIN"));
        Assert.Equal(400m, Flow(result, "IT", "PLAN"));
        Assert.Equal(700m, Flow(result, "FIN", "PLAN"));
        var plan = result.Services["PLAN"];
        Assert.Equal(11_900m, plan.Total);
        Assert.Equal(1_900m, plan.Received);
        Assert.Equal(7_140m, plan.Apportionment.ShareOf("SHDC"));
        Assert.Equal(4_760m, plan.Apportionment.ShareOf("WDBC"));
        Assert.Equal(6_000m, plan.DirectShareOf("SHDC"));
        Assert.Equal(1_140m, plan.OverheadsShareOf("SHDC"));
        Assert.All(new[] { "ADMIN", "IT", "FIN" }, s => Assert.Equal(0m, result.Services[s].Total));
        Assert.Equal(800m, result.Services["IT"].PassedOn);
    }

    [Fact]
    public void Two_services_that_support_each_other_are_solved_reciprocally()
    {
        // Exactly: admin = 1,000 + 0.2 IT and IT = 500 + 0.1 admin, so admin = 1,122.448979… and IT = 612.244897….
        var result = Run(
            Service("ADMIN", 1_000m, Supports(("IT", true, 10m), ("PLAN", true, 90m))),
            Service("IT", 500m, Supports(("ADMIN", true, 20m), ("PLAN", true, 80m))),
            Service("PLAN", 0m));

        var month = result.Months.Single();
        Assert.Equal(1_122.45m, month.GrossCost["ADMIN"]);
        Assert.Equal(612.24m, month.GrossCost["IT"]);
        Assert.Equal(112.24m, Flow(result, "ADMIN", "IT"));
        Assert.Equal(122.45m, Flow(result, "IT", "ADMIN"));
        Assert.Equal(1_010.21m, Flow(result, "ADMIN", "PLAN"));
        Assert.Equal(489.79m, Flow(result, "IT", "PLAN"));
        Assert.Equal(1_500m, result.Services["PLAN"].Total);
        Assert.Equal(1_000m + 122.45m - 112.24m - 1_010.21m, result.Services["ADMIN"].Total);
    }

    [Fact]
    public void Three_services_in_a_loop_pass_on_exactly_what_they_cost()
    {
        // Admin → IT → finance → admin, each sending half to planning: exactly 1,371.428…, 1,285.714… and 942.857…
        // gross. Rounded once, each stays within a penny of the exact figure while every service balances to the penny.
        var result = Run(
            Service("ADMIN", 900m, Supports(("IT", true, 50m), ("PLAN", true, 50m))),
            Service("IT", 600m, Supports(("FIN", true, 50m), ("PLAN", true, 50m))),
            Service("FIN", 300m, Supports(("ADMIN", true, 50m), ("PLAN", true, 50m))),
            Service("PLAN", 2_000m));

        var month = result.Months.Single();
        Assert.InRange(month.GrossCost["ADMIN"], 1_371.42m, 1_371.44m);
        Assert.InRange(month.GrossCost["IT"], 1_285.70m, 1_285.72m);
        Assert.InRange(month.GrossCost["FIN"], 942.85m, 942.87m);
        Assert.Equal(3_800m, result.Services["PLAN"].Total);
        foreach (var s in new[] { "ADMIN", "IT", "FIN" })
        {
            var outgoing = month.Flows.Where(f => f.From == s).Sum(f => f.Amount);
            var incoming = month.Flows.Where(f => f.To.Code == s).Sum(f => f.Amount);
            Assert.Equal(month.GrossCost[s], outgoing);
            Assert.Equal(result.Services[s].DirectCost + incoming, outgoing);
        }
    }

    [Fact]
    public void A_support_service_can_charge_a_council_directly()
    {
        // 10% of the admin team is South Hams' corporate and democratic core.
        var result = Run(
            Service("ADMIN", 1_000m, Supports(("SHDC", false, 10m), ("PLAN", true, 90m))),
            Service("PLAN", 10_000m));

        Assert.Equal(100m, Flow(result, "ADMIN", "SHDC"));
        var admin = result.Services["ADMIN"];
        Assert.Equal(100m, admin.Total);
        Assert.Equal(100m, admin.Apportionment.ShareOf("SHDC"));
        Assert.Equal(100m, admin.DirectShareOf("SHDC"));
        Assert.Equal(900m, admin.PassedOn);
        Assert.Equal(6_540m, result.Services["PLAN"].Apportionment.ShareOf("SHDC"));
        Assert.Equal(4_360m, result.Services["PLAN"].Apportionment.ShareOf("WDBC"));
    }

    [Fact]
    public void A_driver_month_without_figures_names_the_recipients_missing()
    {
        var rule = SupportRule.Create(
            "ADMIN",
            SplitMethod.Driver,
            null,
            ["SHDC"],
            [new("PLAN", null), new("IT", null)],
            "admin-hours");
        var e = Assert.Throws<ApportionmentException>(() => Run(
            new("ADMIN", [new ServiceMonthInput(
                Domain.Month.Parse("2025-05"),
                50m,
                null,
                new Dictionary<string, decimal> { ["PLAN"] = 3m },
                new(Guid.NewGuid(), rule))]),
            Service("PLAN", 0m)));

        Assert.Equal(ApportionmentFailure.MissingDriverFigures, e.Failure);
        Assert.Equal(["SHDC", "IT"], e.CouncilsWithoutFigures);
    }

    [Fact]
    public void Support_services_that_only_pay_each_other_are_refused()
    {
        var e = Assert.Throws<ApportionmentException>(() => Run(
            Service("ADMIN", 10m, Supports(("IT", true, 100m))),
            Service("IT", 0m, Supports(("ADMIN", true, 100m)))));

        Assert.Equal(ApportionmentFailure.ClosedSupportLoop, e.Failure);
    }

    [Fact]
    public void A_support_service_cannot_support_itself()
    {
        var errors = SupportRule.Validate("ADMIN", SplitMethod.Equal, null, null, [new("ADMIN", null)], null);
        Assert.Contains("supports[0].service", errors.Keys);
    }
}
