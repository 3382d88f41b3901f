using Apportionment.Api.Tests.Budgets;

namespace Apportionment.Api.Tests.Agreements;

/// <summary>A council asked to approve a new split sees what it would pay under it.</summary>
public sealed class ProposalImpactTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task A_proposal_from_mid_quarter_changes_only_its_months_and_the_differences_sum_to_zero()
    {
        var (a, b) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"));
        var service = await _admin.ServiceWithFixedSplitAsync("IMP", "2025-04", (a, 60m), (b, 40m));
        foreach (var month in new[] { "2025-04", "2025-05", "2025-06" })
        {
            await _admin.PostCostAsync(service, month, 1_000m);
        }

        var proposal = await _admin.ProposeAsync(service, ApiSteps.FixedSplit("2025-05", (a, 50m), (b, 50m)));
        var bKey = await factory.CouncilClient(b, "statements:read");

        // April stays 600/400; May and June become 500/500.
        var impact = await bKey.GetJsonAsync(
            $"/api/v1/shared-services/{service}/agreements/{proposal.Text("id")}/impact/2025-26-Q1");
        Assert.Equal("2025-05", impact.Text("effectiveFrom"));
        Assert.Equal(3_000.00m, impact.Money("netCost"));
        var councils = impact.ByCouncil();
        Assert.Equal(
            (1_800.00m, 1_600.00m, -200.00m),
            (councils[a].Money("current"), councils[a].Money("proposed"), councils[a].Money("difference")));
        Assert.Equal(
            (1_200.00m, 1_400.00m, 200.00m),
            (councils[b].Money("current"), councils[b].Money("proposed"), councils[b].Money("difference")));
        Assert.Equal(0m, councils.Values.Sum(c => c.Money("difference")));

        // Nothing changed in the real figures.
        Assert.Equal(1_200.00m, (await _admin.ApportionmentAsync(service, "2025-26-Q1")).Allocations()[b]);

        // Once agreed, there is nothing left to compare.
        await _admin.ApproveAsync(service, proposal, a);
        await _admin.ApproveAsync(service, proposal, b);
        await (await bKey.GetAsync(
            $"/api/v1/shared-services/{service}/agreements/{proposal.Text("id")}/impact/2025-26-Q1"))
            .ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_council_outside_the_service_cannot_read_the_impact_or_learn_the_service_exists()
    {
        var (a, b, outsider) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"), ApiSteps.UniqueCode("O"));
        await _admin.EnsureCouncilsAsync(outsider);
        var service = await _admin.ServiceWithFixedSplitAsync("IMP", "2025-04", (a, 60m), (b, 40m));
        var proposal = await _admin.ProposeAsync(service, ApiSteps.EqualSplit("2025-05", a, b));
        var key = await factory.CouncilClient(outsider, "statements:read");
        await (await key.GetAsync($"/api/v1/shared-services/{service}/agreements/{proposal.Text("id")}/impact/2025-26"))
            .ProblemAsync(HttpStatusCode.NotFound);
    }
}
