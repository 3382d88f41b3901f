using Microsoft.AspNetCore.Hosting;

namespace Apportionment.Api.Tests.Budgets;

/// <summary>A partnership that tolerates a 5% overspend before calling it over.</summary>
public sealed class LenientBudgetsApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Budgets:Monitoring:OverPercent", "5");
    }
}

public sealed class BudgetThresholdTests(LenientBudgetsApiFactory factory) : IClassFixture<LenientBudgetsApiFactory>
{
    [Fact]
    public async Task The_over_threshold_comes_from_configuration()
    {
        var admin = factory.Admin();
        var (a, b) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"));
        var service = await admin.ServiceWithFixedSplitAsync("THR", "2025-04", (a, 50m), (b, 50m));
        await admin.PutBudgetAsync(service, "2025-26", 12_000m, "flat");

        await admin.PostCostAsync(service, "2025-04", 1_300m);   // £300 over: 2.5%, over by default, at risk here
        Assert.Equal("at-risk", (await admin.MonitoringAsync(service, "2025-26")).Text("status"));
        await admin.PostCostAsync(service, "2025-04", 301m);     // £601 over: 5.008%
        Assert.Equal("over", (await admin.MonitoringAsync(service, "2025-26")).Text("status"));
    }
}
