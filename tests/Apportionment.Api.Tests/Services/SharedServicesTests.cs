namespace Apportionment.Api.Tests.Services;

public sealed class SharedServicesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task Creating_a_service_returns_201_with_location_host_and_sorted_members()
    {
        var (host, partner) = await TwoCouncils();
        var code = ApiSteps.UniqueCode("PLAN");
        var response = await _admin.PostAsJsonAsync("/api/v1/shared-services", new
        {
            code,
            name = "Planning",
            hostCouncil = host,
            members = new[] { partner, host },
            startMonth = "2024-04",
            endMonth = (string?)null,
            description = "Joint planning",
        });
        var service = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/shared-services/{code}", response.Headers.Location?.OriginalString);
        Assert.Equal(host, service.Text("hostCouncil"));
        Assert.Equal(
            new[] { host, partner }.Order(StringComparer.Ordinal),
            service.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("2024-04", service.Text("startMonth"));

        var read = await _admin.GetJsonAsync($"/api/v1/shared-services/{code}");
        Assert.Equal("Planning", read.Text("name"));
    }

    [Fact]
    public async Task An_unregistered_member_council_is_400_naming_members()
    {
        var (host, _) = await TwoCouncils();
        var problem = await (await CreateRaw(ApiSteps.UniqueCode("S"), host, [host, "GHOST-1"])).ProblemAsync(
            HttpStatusCode.BadRequest,
            "members");
        Assert.Contains("GHOST-1", problem.GetProperty("errors").GetProperty("members")[0].GetString());
    }

    [Fact]
    public async Task A_host_that_is_not_a_member_is_400_naming_members()
    {
        var (host, partner) = await TwoCouncils();
        var third = (await _admin.NewCouncilsAsync("C"))[0];
        await (await CreateRaw(ApiSteps.UniqueCode("S"), host, [partner, third])).ProblemAsync(
            HttpStatusCode.BadRequest,
            "members");
    }

    [Fact]
    public async Task A_duplicate_service_code_is_409()
    {
        var (host, partner) = await TwoCouncils();
        var code = ApiSteps.UniqueCode("S");
        await _admin.CreateServiceAsync(code, host, [host, partner]);
        await (await CreateRaw(code, host, [host, partner])).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Bad_fields_are_400_naming_each_field()
    {
        var (host, partner) = await TwoCouncils();
        var response = await _admin.PostAsJsonAsync("/api/v1/shared-services", new
        {
            code = "bad code",
            name = "",
            hostCouncil = host,
            members = new[] { host, partner },
            startMonth = "2024-13",
            endMonth = (string?)null,
            description = (string?)null,
        });
        await response.ProblemAsync(HttpStatusCode.BadRequest, "code", "name", "startMonth");
    }

    [Fact]
    public async Task The_list_filters_by_council_and_a_council_key_sees_only_its_own_services()
    {
        var (a, b) = await TwoCouncils();
        var c = (await _admin.NewCouncilsAsync("C"))[0];
        var ab = ApiSteps.UniqueCode("AB");
        var bc = ApiSteps.UniqueCode("BC");
        await _admin.CreateServiceAsync(ab, a, [a, b]);
        await _admin.CreateServiceAsync(bc, b, [b, c]);

        var forA = await _admin.GetJsonAsync($"/api/v1/shared-services?council={a}");
        Assert.Equal([ab], forA.Items().Select(s => s.Text("code")));
        Assert.Equal(1, forA.GetProperty("total").GetInt32());
        var forB = await _admin.GetJsonAsync($"/api/v1/shared-services?council={b}");
        Assert.Equal(new[] { ab, bc }.Order(StringComparer.Ordinal), forB.Items().Select(s => s.Text("code")));

        var cKey = await factory.CouncilClient(c, "statements:read");
        var seenByC = await cKey.GetJsonAsync("/api/v1/shared-services?limit=500");
        Assert.Equal([bc], seenByC.Items().Select(s => s.Text("code")));
        await (await cKey.GetAsync($"/api/v1/shared-services/{ab}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_service_is_404()
    {
        await (await _admin.GetAsync("/api/v1/shared-services/NO-SUCH")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Patch_renames_and_sets_the_end_month()
    {
        var (a, b) = await TwoCouncils();
        var code = ApiSteps.UniqueCode("S");
        await _admin.CreateServiceAsync(code, a, [a, b]);
        var updated = await (await _admin.PatchAsJsonAsync(
            $"/api/v1/shared-services/{code}",
            new { name = "Renamed", endMonth = "2026-03" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", updated.Text("name"));
        Assert.Equal("2026-03", updated.Text("endMonth"));
        Assert.Equal(
            new[] { a, b }.Order(StringComparer.Ordinal),
            updated.GetProperty("members").EnumerateArray().Select(m => m.GetString()));

        await (await _admin.PatchAsJsonAsync($"/api/v1/shared-services/{code}", new { endMonth = "2023-01" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "endMonth");
        await (await _admin.PatchAsJsonAsync("/api/v1/shared-services/NO-SUCH", new { name = "x" })).ProblemAsync(
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Adding_a_member_lets_it_post_costs_and_take_part()
    {
        var (a, b) = await TwoCouncils();
        var joiner = (await _admin.NewCouncilsAsync("J"))[0];
        var code = ApiSteps.UniqueCode("S");
        await _admin.CreateServiceAsync(code, a, [a, b]);
        await (await _admin.PostCostRawAsync(code, "2024-04", 10m, paidBy: joiner)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "paidBy");

        var updated = await (await _admin.PatchAsJsonAsync(
            $"/api/v1/shared-services/{code}",
            new { members = new[] { a, b, joiner } })).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(joiner, updated.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        await _admin.PostCostAsync(code, "2024-04", 10m, paidBy: joiner);
        var forJoiner = await _admin.GetJsonAsync($"/api/v1/shared-services?council={joiner}");
        Assert.Equal([code], forJoiner.Items().Select(s => s.Text("code")));
    }

    [Fact]
    public async Task Removing_a_council_named_by_the_agreement_in_force_is_409_and_nothing_changes()
    {
        var (a, b) = await TwoCouncils();
        var c = (await _admin.NewCouncilsAsync("C"))[0];
        var code = ApiSteps.UniqueCode("S");
        await _admin.CreateServiceAsync(code, a, [a, b, c]);
        await _admin.AgreeAsync(code, ApiSteps.FixedSplit("2024-04", (a, 50m), (b, 50m)));

        var problem = await (await _admin.PatchAsJsonAsync(
            $"/api/v1/shared-services/{code}",
            new { members = new[] { a, c } })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(b, problem.Text("detail"));
        Assert.Contains(b, (await _admin.GetJsonAsync($"/api/v1/shared-services/{code}")).GetProperty("members")
            .EnumerateArray()
            .Select(m => m.GetString()));

        // c is not a party to the split in force, so it may leave.
        var updated = await (await _admin.PatchAsJsonAsync(
            $"/api/v1/shared-services/{code}",
            new { members = new[] { a, b } })).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(c, updated.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task
        A_council_with_shares_under_an_earlier_agreement_cannot_be_removed_even_after_a_later_one_is_agreed()
    {
        var (a, b) = await TwoCouncils();
        var c = (await _admin.NewCouncilsAsync("C"))[0];
        var code = ApiSteps.UniqueCode("S");
        await _admin.CreateServiceAsync(code, a, [a, b, c]);
        await _admin.AgreeAsync(code, ApiSteps.EqualSplit("2024-04", a, b, c));
        await _admin.AgreeAsync(code, ApiSteps.EqualSplit("2025-04", a, b));
        await _admin.PostCostAsync(code, "2024-05", 300m);

        // c bears £100.00 of May 2024 under the first agreement, which is still in force for that year.
        await (await _admin.PatchAsJsonAsync($"/api/v1/shared-services/{code}", new { members = new[] { a, b } }))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(100.00m, (await _admin.StatementAsync(c, "2024-05")).LineFor(code).Money("share"));
        await _admin.AssertServiceBalancesAsync(code, "2024-05");
    }

    [Fact]
    public async Task A_council_named_by_a_pending_proposal_cannot_be_removed()
    {
        var (a, b) = await TwoCouncils();
        var c = (await _admin.NewCouncilsAsync("C"))[0];
        var code = ApiSteps.UniqueCode("S");
        await _admin.CreateServiceAsync(code, a, [a, b, c]);
        var proposal = await _admin.ProposeAsync(code, ApiSteps.EqualSplit("2024-04", a, c));
        await (await _admin.PatchAsJsonAsync($"/api/v1/shared-services/{code}", new { members = new[] { a, b } }))
            .ProblemAsync(HttpStatusCode.Conflict);

        await (await _admin.DeleteAsync($"/api/v1/shared-services/{code}/agreements/{proposal.Text("id")}")).JsonAsync(
            HttpStatusCode.OK);
        await (await _admin.PatchAsJsonAsync($"/api/v1/shared-services/{code}", new { members = new[] { a, b } }))
            .JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_host_cannot_be_removed()
    {
        var (a, b) = await TwoCouncils();
        var c = (await _admin.NewCouncilsAsync("C"))[0];
        var code = ApiSteps.UniqueCode("S");
        await _admin.CreateServiceAsync(code, a, [a, b, c]);
        await (await _admin.PatchAsJsonAsync($"/api/v1/shared-services/{code}", new { members = new[] { b, c } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "members");
    }

    private async Task<(string, string)> TwoCouncils()
    {
        var codes = await _admin.NewCouncilsAsync("SH", "WD");
        return (codes[0], codes[1]);
    }

    private Task<HttpResponseMessage> CreateRaw(string code, string host, string[] members) =>
        _admin.PostAsJsonAsync("/api/v1/shared-services",
            new
            {
                code,
                name = "Service",
                hostCouncil = host,
                members,
                startMonth = "2024-04",
                endMonth = (string?)null,
                description = (string?)null
            });
}
