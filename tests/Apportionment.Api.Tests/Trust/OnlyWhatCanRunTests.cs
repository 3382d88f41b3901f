using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using static Apportionment.Api.Tests.Infrastructure.ApiSteps;

namespace Apportionment.Api.Tests.Trust;

/// <summary>
/// Nothing is agreed that cannot run, and nothing is closed that cannot be issued: each test uses the key of the host
/// council that would set the trap for its partners.
/// </summary>
public sealed class OnlyWhatCanRunTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string[] HostScopes = [Scopes.StatementsRead, Scopes.AgreementsApprove, Scopes.CostsWrite];
    private readonly HttpClient _admin = factory.Admin();

    private static object Support(
        string effectiveFrom,
        bool chargeHost,
        string host,
        params (string Service, decimal Percent)[] services) => new
        {
            effectiveFrom,
            method = "fixed",
            shares = chargeHost ? new[] { new { council = host, percent = 100m - services.Sum(s => s.Percent) } } : [],
            supports = services.Select(s => new { service = s.Service, percent = s.Percent }).ToArray(),
        };

    /// <summary>Two councils, a planning service they split 60/40 from April 2024, and the host's key.</summary>
    private async Task<(string[] Councils, string Plan, HttpClient Host)> PartnershipAsync(
        string? planEnd = null,
        string planStart = "2024-04")
    {
        var councils = await _admin.NewCouncilsAsync("HOST", "PART");
        var plan = UniqueCode("PLAN");
        await _admin.CreateServiceAsync(plan, councils[0], councils, planStart, planEnd);
        await _admin.AgreeAsync(plan, FixedSplit(planStart, (councils[0], 60m), (councils[1], 40m)));
        return (councils, plan, await factory.CouncilClient(councils[0], HostScopes));
    }

    private async Task<string> SupportServiceAsync(string[] councils, string start = "2024-04")
    {
        var code = UniqueCode("SUP");
        await _admin.CreateServiceAsync(code, councils[0], councils, start);
        return code;
    }

    [Theory]
    [InlineData("2025-04", null, "2024-04")]
    [InlineData("2024-04", "2025-03", "2024-04")]
    public async Task Support_into_a_service_outside_its_run_is_refused(string planStart, string? planEnd, string from)
    {
        var (councils, plan, host) = await PartnershipAsync(planEnd, planStart);
        var support = await SupportServiceAsync(councils);

        var refused = await host.PostAsJsonAsync(
            $"/api/v1/shared-services/{support}/agreements",
            Support(from, false, councils[0], (plan, 100m)));

        var problem = await refused.ProblemAsync(HttpStatusCode.BadRequest, "supports");
        Assert.Contains(
            plan,
            problem.GetProperty("errors").GetProperty("supports")[0].GetString(),
            StringComparison.Ordinal);
        Assert.Empty((await host.GetJsonAsync($"/api/v1/shared-services/{support}/agreements")).Items());
    }

    [Fact]
    public async Task A_support_agreement_that_ends_with_the_service_it_supports_is_accepted()
    {
        var (councils, plan, host) = await PartnershipAsync("2025-03");
        var support = await SupportServiceAsync(councils);
        // From April 2025 the support team charges its two councils directly; then the agreement into planning ends in
        // time.
        await _admin.AgreeAsync(support, FixedSplit("2025-04", (councils[0], 50m), (councils[1], 50m)));

        var proposed = await host.ProposeAsync(support, Support("2024-04", false, councils[0], (plan, 100m)));

        Assert.Equal("proposed", proposed.Text("status"));
    }

    [Fact]
    public async Task
        Two_support_services_that_pass_cost_only_to_each_other_are_refused_at_proposal_and_at_the_last_approval()
    {
        var (councils, plan, host) = await PartnershipAsync();
        var (a, b) = (await SupportServiceAsync(councils), await SupportServiceAsync(councils));
        await _admin.AgreeAsync(a, Support("2024-04", false, councils[0], (b, 100m)));

        var refused = await host.PostAsJsonAsync(
            $"/api/v1/shared-services/{b}/agreements",
            Support("2024-04", false, councils[0], (a, 100m)));
        Assert.Contains(
            "only to each other",
            (await refused.ProblemAsync(HttpStatusCode.BadRequest, "supports")).ToString(),
            StringComparison.Ordinal);

        // Proposed while A still passed cost out, then A changed: the last approval is where it is caught.
        var (c, d) = (await SupportServiceAsync(councils), await SupportServiceAsync(councils));
        var trap = await host.ProposeAsync(d, Support("2024-04", false, councils[0], (c, 100m)));
        await _admin.AgreeAsync(c, Support("2024-04", false, councils[0], (d, 100m)));
        await (await host.ApproveAsync(d, trap, councils[0])).JsonAsync(HttpStatusCode.OK);
        var partner = await factory.CouncilClient(councils[1], HostScopes);
        var last = await partner.ApproveAsync(d, trap, councils[1]);
        Assert.Contains(
            "only to each other",
            (await last.ProblemAsync(HttpStatusCode.Conflict)).ToString(),
            StringComparison.Ordinal);
        Assert.Equal(
            "proposed",
            (await host.GetJsonAsync($"/api/v1/shared-services/{d}/agreements/{trap.Text("id")}")).Text("status"));
        Assert.Equal(0m, (await host.ApportionmentAsync(plan, "2024-05")).Money("total"));
    }

    [Fact]
    public async Task A_supports_list_longer_than_the_cap_is_refused_naming_supports()
    {
        var (councils, plan, host) = await PartnershipAsync();
        var support = await SupportServiceAsync(councils);
        var services = Enumerable.Range(0, SupportRule.MaxSupported + 1).Select(i => (UniqueCode("S"), 1m)).ToArray();

        var refused = await host.PostAsJsonAsync(
            $"/api/v1/shared-services/{support}/agreements",
            Support("2024-04", false, councils[0], [(plan, 79m), .. services]));

        await refused.ProblemAsync(HttpStatusCode.BadRequest, "supports");
    }

    /// <summary>
    /// Support services in a ring, each passing half on to the next and half to planning; the last closes the ring.
    /// </summary>
    private async Task<(string Plan, string[] Ring, HttpClient Host, HttpResponseMessage Closing)> RingAsync(int size)
    {
        var (councils, plan, host) = await PartnershipAsync();
        var ring = new string[size];
        for (var i = 0; i < size; i++)
        {
            ring[i] = await SupportServiceAsync(councils);
            await _admin.PostCostAsync(ring[i], "2024-05", 1_000m + i, councils[0]);
        }

        for (var i = 1; i < size; i++)
        {
            await _admin.AgreeAsync(
                ring[i],
                Support("2024-04", false, councils[0], (plan, 50m), (ring[(i + 1) % size], 50m)));
        }

        var closing = await host.PostAsJsonAsync(
            $"/api/v1/shared-services/{ring[0]}/agreements",
            Support("2024-04", false, councils[0], (plan, 50m), (ring[1], 50m)));
        return (plan, ring, host, closing);
    }

    [Fact]
    public async Task A_support_loop_one_larger_than_the_cap_is_refused()
    {
        var (_, _, _, closing) = await RingAsync(SupportLoops.MaxLoopSize + 1);

        var problem = await closing.ProblemAsync(HttpStatusCode.BadRequest, "supports");
        Assert.Contains($"at most {SupportLoops.MaxLoopSize}", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_support_loop_at_the_cap_is_agreed_and_its_cost_reaches_planning_to_the_penny()
    {
        var (plan, ring, _, closing) = await RingAsync(SupportLoops.MaxLoopSize);
        var proposal = await closing.JsonAsync(HttpStatusCode.Created);
        foreach (var council in proposal.GetProperty("awaitingApproval").EnumerateArray().Select(c => c.GetString()!)
            .ToList())
        {
            await (await _admin.ApproveAsync(ring[0], proposal, council)).JsonAsync(HttpStatusCode.OK);
        }

        var posted = Enumerable.Range(0, ring.Length).Sum(i => 1_000m + i);
        Assert.Equal(posted, (await _admin.ApportionmentAsync(plan, "2024-05")).Money("total"));
    }

    [Fact]
    public async Task
        Closing_a_month_without_driver_figures_is_refused_naming_what_is_missing_and_the_month_stays_open()
    {
        var councils = await _admin.NewCouncilsAsync("HOST", "PART");
        var service = UniqueCode("BC");
        await _admin.CreateServiceAsync(service, councils[0], councils);
        await _admin.AgreeAsync(service, DriverSplit("2024-04", "hours", councils));
        var host = await factory.CouncilClient(councils[0], HostScopes);
        await host.PutActivityAsync(
            service,
            "2024-04",
            "hours",
            new Dictionary<string, decimal> { [councils[0]] = 10m });
        await host.PostCostAsync(service, "2024-04", 500m);

        var refused = await host.PostAsync($"/api/v1/shared-services/{service}/periods/2024-04/close", null);

        var problem = await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal((service, "2024-04"), (problem.Text("service"), problem.Text("month")));
        Assert.Equal(
            [councils[1]],
            problem.GetProperty("councilsWithoutFigures").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("hours", problem.Text("reason"), StringComparison.Ordinal);
        var april = (await host.GetJsonAsync($"/api/v1/shared-services/{service}/periods?period=2024-04")).Items()[0];
        Assert.False(april.GetProperty("closed").GetBoolean());

        // Once the partner's figure is in, the same close goes through.
        await _admin.PutActivityAsync(
            service,
            "2024-04",
            "hours",
            new Dictionary<string, decimal> { [councils[0]] = 10m, [councils[1]] = 5m });
        await (await host.PostAsync($"/api/v1/shared-services/{service}/periods/2024-04/close", null)).JsonAsync(
            HttpStatusCode.OK);
    }

    [Fact]
    public async Task
        Closing_a_month_whose_support_service_upstream_cannot_be_apportioned_is_refused_naming_that_service()
    {
        var (councils, plan, host) = await PartnershipAsync();
        var support = await SupportServiceAsync(councils);
        await _admin.AgreeAsync(support,
            new
            {
                effectiveFrom = "2024-04",
                method = "driver",
                driver = "tickets",
                councils = Array.Empty<string>(),
                supports = new[] { new { service = plan } }
            });
        await _admin.PostCostAsync(support, "2024-04", 250m, councils[0]);

        var refused = await host.PostAsync($"/api/v1/shared-services/{plan}/periods/2024-04/close", null);

        var problem = await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal((support, "2024-04"), (problem.Text("service"), problem.Text("month")));
        Assert.False((await host.GetJsonAsync($"/api/v1/shared-services/{plan}/periods?period=2024-04")).Items()[0]
            .GetProperty("closed")
            .GetBoolean());
    }
}
