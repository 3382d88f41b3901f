namespace Apportionment.Api.Tests.Councils;

public sealed class CouncilsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Registering_a_council_returns_201_with_its_location_and_it_can_be_read_back()
    {
        var admin = factory.Admin();
        var code = ApiSteps.UniqueCode("MDDC");
        var response = await admin.PostAsJsonAsync(
            "/api/v1/councils",
            new { code, name = "  Mid Devon District Council " });
        var created = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/councils/{code}", response.Headers.Location?.OriginalString);
        Assert.Equal(code, created.Text("code"));
        Assert.Equal("Mid Devon District Council", created.Text("name"));

        var read = await admin.GetJsonAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("Mid Devon District Council", read.Text("name"));
    }

    [Fact]
    public async Task Registering_the_same_code_twice_is_409_and_keeps_the_first_name()
    {
        var admin = factory.Admin();
        var code = ApiSteps.UniqueCode("NDC");
        await admin.PostJsonAsync("/api/v1/councils", new { code, name = "North Devon Council" });
        await (await admin.PostAsJsonAsync("/api/v1/councils", new { code, name = "Impostor" })).ProblemAsync(
            HttpStatusCode.Conflict);
        Assert.Equal("North Devon Council", (await admin.GetJsonAsync($"/api/v1/councils/{code}")).Text("name"));
    }

    [Theory]
    [InlineData("mddc")]
    [InlineData("M")]
    [InlineData("MID DEVON")]
    [InlineData("ABCDEFGHIJKLMNOPQ")]
    public async Task A_bad_code_is_400_naming_code(string code)
    {
        var response = await factory.Admin().PostAsJsonAsync("/api/v1/councils", new { code, name = "Somewhere" });
        await response.ProblemAsync(HttpStatusCode.BadRequest, "code");
    }

    [Fact]
    public async Task A_missing_name_is_400_naming_name()
    {
        var response = await factory.Admin()
            .PostAsJsonAsync("/api/v1/councils", new { code = ApiSteps.UniqueCode("X"), name = " " });
        await response.ProblemAsync(HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task The_list_is_a_paged_envelope_in_code_order()
    {
        var admin = factory.Admin();
        var codes = await admin.NewCouncilsAsync("PG", "PG", "PG");
        var all = await admin.GetJsonAsync("/api/v1/councils?limit=500");
        Assert.Equal(0, all.GetProperty("offset").GetInt32());
        Assert.Equal(500, all.GetProperty("limit").GetInt32());
        var listed = all.Items().Select(c => c.Text("code")).ToList();
        Assert.Equal(all.GetProperty("total").GetInt32(), listed.Count);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.All(codes, c => Assert.Contains(c, listed));

        var page = await admin.GetJsonAsync("/api/v1/councils?offset=1&limit=2");
        Assert.Equal(1, page.GetProperty("offset").GetInt32());
        Assert.Equal(2, page.GetProperty("limit").GetInt32());
        Assert.Equal(listed.Count, page.GetProperty("total").GetInt32());
        Assert.Equal(listed.Skip(1).Take(2), page.Items().Select(c => c.Text("code")));
    }

    [Fact]
    public async Task Paging_out_of_range_is_400_naming_the_parameter()
    {
        await (await factory.Admin().GetAsync("/api/v1/councils?limit=0")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "limit");
        await (await factory.Admin().GetAsync("/api/v1/councils?offset=-1")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "offset");
    }

    [Fact]
    public async Task An_unknown_council_is_404_problem()
    {
        var problem = await (await factory.Admin().GetAsync("/api/v1/councils/NOPE-404")).ProblemAsync(
            HttpStatusCode.NotFound);
        Assert.Contains("NOPE-404", problem.Text("detail"));
    }

    [Fact]
    public async Task Only_an_admin_registers_councils()
    {
        var admin = factory.Admin();
        var council = (await admin.NewCouncilsAsync("KEY"))[0];
        var councilKey = await factory.CouncilClient(council, "statements:read", "costs:write", "agreements:approve");
        await (await councilKey.PostAsJsonAsync(
            "/api/v1/councils",
            new { code = ApiSteps.UniqueCode("X"), name = "Rogue" })).ProblemAsync(HttpStatusCode.Forbidden);
    }
}
