namespace Apportionment.Api.Tests.Agreements;

public sealed class AgreementsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task Fixed_equal_and_driver_proposals_are_201_proposed_awaiting_every_party()
    {
        var (service, a, b) = await Service();
        var response = await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/agreements",
            ApiSteps.FixedSplit("2024-04", (a, 60m), (b, 40m)));
        var fixedSplit = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(
            $"/api/v1/shared-services/{service}/agreements/{fixedSplit.Text("id")}",
            response.Headers.Location?.OriginalString);
        Assert.Equal("proposed", fixedSplit.Text("status"));
        Assert.Equal("fixed", fixedSplit.Text("method"));
        Assert.Equal(
            new[] { a, b }.Order(StringComparer.Ordinal),
            fixedSplit.GetProperty("awaitingApproval").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(
            60m,
            fixedSplit.GetProperty("shares").EnumerateArray().Single(s => s.Text("council") == a).Money("percent"));

        var equal = await _admin.ProposeAsync(service, ApiSteps.EqualSplit("2024-05", a, b));
        Assert.Equal(("proposed", "equal"), (equal.Text("status"), equal.Text("method")));

        var driver = await _admin.ProposeAsync(service, ApiSteps.DriverSplit("2024-06", "surveyor-hours", a, b));
        Assert.Equal(
            ("proposed", "driver", "surveyor-hours"),
            (driver.Text("status"), driver.Text("method"), driver.Text("driver")));
    }

    [Fact]
    public async Task Shares_adding_to_99_99_are_400_naming_shares()
    {
        var (service, a, b) = await Service();
        var response = await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/agreements",
            ApiSteps.FixedSplit("2024-04", (a, 60m), (b, 39.99m)));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "shares");
        Assert.Contains("99.99", problem.GetProperty("errors").GetProperty("shares")[0].GetString());
    }

    [Fact]
    public async Task A_council_that_is_not_a_member_is_400()
    {
        var (service, a, _) = await Service();
        var outsider = (await _admin.NewCouncilsAsync("OUT"))[0];
        await (await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/agreements",
            ApiSteps.FixedSplit("2024-04", (a, 50m), (outsider, 50m))))
            .ProblemAsync(HttpStatusCode.BadRequest, "shares");
        await (await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/agreements",
            ApiSteps.EqualSplit("2024-04", a, outsider)))
            .ProblemAsync(HttpStatusCode.BadRequest, "councils");
    }

    [Fact]
    public async Task Bad_method_or_month_is_400_naming_the_field()
    {
        var (service, a, b) = await Service();
        await (await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/agreements",
            new { effectiveFrom = "2024-04", method = "weighted", councils = new[] { a, b } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "method");
        await (await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/agreements",
            ApiSteps.EqualSplit("2024-4", a, b)))
            .ProblemAsync(HttpStatusCode.BadRequest, "effectiveFrom");
    }

    [Fact]
    public async Task It_is_agreed_only_when_every_named_council_approves_and_a_second_approval_is_409()
    {
        var (service, a, b) = await Service();
        var aKey = await factory.CouncilClient(a, "agreements:approve", "statements:read");
        var bKey = await factory.CouncilClient(b, "agreements:approve", "statements:read");
        var proposed = await aKey.ProposeAsync(service, ApiSteps.FixedSplit("2024-04", (a, 60m), (b, 40m)));

        var afterA = await (await aKey.ApproveAsync(service, proposed, a)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("proposed", afterA.Text("status"));
        Assert.Equal([b], afterA.GetProperty("awaitingApproval").EnumerateArray().Select(c => c.GetString()));

        await (await aKey.ApproveAsync(service, proposed, a)).ProblemAsync(HttpStatusCode.Conflict);
        // A council's key cannot approve on another council's behalf.
        await (await aKey.ApproveAsync(service, proposed, b)).ProblemAsync(HttpStatusCode.Forbidden);

        var agreed = await (await bKey.ApproveAsync(service, proposed, b)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("agreed", agreed.Text("status"));
        Assert.True(agreed.TryGetProperty("agreedAt", out var at) && at.ValueKind == JsonValueKind.String);
        Assert.Empty(agreed.GetProperty("awaitingApproval").EnumerateArray());
        Assert.Equal(new[] { a, b }, agreed.GetProperty("approvals").EnumerateArray().Select(x => x.Text("council")));

        await (await bKey.ApproveAsync(service, proposed, b)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Withdrawing_a_proposal_marks_it_withdrawn_but_an_agreed_one_cannot_be_withdrawn()
    {
        var (service, a, b) = await Service();
        var proposed = await _admin.ProposeAsync(service, ApiSteps.EqualSplit("2024-04", a, b));
        var withdrawn = await (await _admin.DeleteAsync(
            $"/api/v1/shared-services/{service}/agreements/{proposed.Text("id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("withdrawn", withdrawn.Text("status"));
        await (await _admin.ApproveAsync(service, proposed, a)).ProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.DeleteAsync($"/api/v1/shared-services/{service}/agreements/{proposed.Text("id")}"))
            .ProblemAsync(HttpStatusCode.Conflict);

        var agreed = await _admin.AgreeAsync(service, ApiSteps.EqualSplit("2024-04", a, b));
        await (await _admin.DeleteAsync($"/api/v1/shared-services/{service}/agreements/{agreed.Text("id")}"))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("agreed", (await _admin.GetJsonAsync(
            $"/api/v1/shared-services/{service}/agreements/{agreed.Text("id")}")).Text("status"));
    }

    [Fact]
    public async Task The_list_is_newest_first()
    {
        var (service, a, b) = await Service();
        var april = await _admin.ProposeAsync(service, ApiSteps.EqualSplit("2024-04", a, b));
        var october = await _admin.ProposeAsync(service, ApiSteps.FixedSplit("2024-10", (a, 55m), (b, 45m)));
        var july = await _admin.ProposeAsync(service, ApiSteps.FixedSplit("2024-07", (a, 70m), (b, 30m)));
        var page = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/agreements");
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal([october.Text("id"), july.Text("id"), april.Text("id")], page.Items().Select(x => x.Text("id")));
    }

    [Fact]
    public async Task Get_one_carries_an_etag_that_answers_304_until_it_changes()
    {
        var (service, a, b) = await Service();
        var proposed = await _admin.ProposeAsync(service, ApiSteps.EqualSplit("2024-04", a, b));
        var url = $"/api/v1/shared-services/{service}/agreements/{proposed.Text("id")}";
        var first = await _admin.GetAsync(url);
        await first.JsonAsync(HttpStatusCode.OK);
        var etag = first.Headers.ETag?.Tag;
        Assert.False(string.IsNullOrEmpty(etag));

        using (var conditional = new HttpRequestMessage(HttpMethod.Get, url))
        {
            conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
            Assert.Equal(HttpStatusCode.NotModified, (await _admin.SendAsync(conditional)).StatusCode);
        }

        await (await _admin.ApproveAsync(service, proposed, a)).JsonAsync(HttpStatusCode.OK);
        using (var stale = new HttpRequestMessage(HttpMethod.Get, url))
        {
            stale.Headers.TryAddWithoutValidation("If-None-Match", etag);
            var changed = await _admin.SendAsync(stale);
            var body = await changed.JsonAsync(HttpStatusCode.OK);
            Assert.NotEqual(etag, changed.Headers.ETag?.Tag);
            Assert.Single(body.GetProperty("approvals").EnumerateArray());
        }

        await (await _admin.GetAsync($"/api/v1/shared-services/{service}/agreements/{Guid.NewGuid()}")).ProblemAsync(
            HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("W/{0}")]
    [InlineData("\"0\", {0}")]
    [InlineData("*")]
    public async Task If_none_match_uses_weak_comparison_and_lists(string header)
    {
        var (service, a, b) = await Service();
        var proposed = await _admin.ProposeAsync(service, ApiSteps.EqualSplit("2024-04", a, b));
        var url = $"/api/v1/shared-services/{service}/agreements/{proposed.Text("id")}";
        var etag = (await _admin.GetAsync(url)).Headers.ETag!.Tag;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.TryAddWithoutValidation(
            "If-None-Match",
            string.Format(System.Globalization.CultureInfo.InvariantCulture, header, etag));
        Assert.Equal(HttpStatusCode.NotModified, (await _admin.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task An_approval_with_a_stale_if_match_is_412()
    {
        var (service, a, b) = await Service();
        var proposed = await _admin.ProposeAsync(service, ApiSteps.EqualSplit("2024-04", a, b));
        var etag = (await _admin.GetAsync($"/api/v1/shared-services/{service}/agreements/{proposed.Text("id")}"))
            .Headers
            .ETag!.Tag;
        await (await _admin.ApproveAsync(service, proposed, a)).JsonAsync(HttpStatusCode.OK);

        using var request = new HttpRequestMessage(
            HttpMethod.Post,
            $"/api/v1/shared-services/{service}/agreements/{proposed.Text("id")}/approvals")
        {
            Content = JsonContent.Create(new { council = b }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await _admin.SendAsync(request)).ProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    private async Task<(string Service, string A, string B)> Service()
    {
        var codes = await _admin.NewCouncilsAsync("SH", "WD");
        var service = ApiSteps.UniqueCode("PLAN");
        await _admin.CreateServiceAsync(service, codes[0], codes);
        return (service, codes[0], codes[1]);
    }
}
