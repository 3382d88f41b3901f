using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Tests.Webhooks;
using static Apportionment.Api.Tests.Infrastructure.ApiSteps;

namespace Apportionment.Api.Tests.Trust;

/// <summary>
/// No cost without the consent of those who bear it: a support agreement recharges the members of every service it
/// supports, so they approve it, see it and hear about it, whoever proposed it.
/// </summary>
public sealed class SupportConsentTests(WebhookApiFactory factory) : IClassFixture<WebhookApiFactory>, IAsyncLifetime
{
    private static readonly string[] AllScopes = [Scopes.StatementsRead, Scopes.AgreementsApprove, Scopes
        .CostsWrite, Scopes.WebhooksManage];
    private readonly HttpClient _admin = factory.Admin();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static object SupportOf(string effectiveFrom, string supported) =>
        new
        {
            effectiveFrom,
            method = "fixed",
            shares = Array.Empty<object>(),
            supports = new[] {
            new { service = supported, percent = 100m } }
        };

    /// <summary>A partnership of three councils (60/30/10) and two councils outside it.</summary>
    private async Task<(string Partnership, string[] Members, string[] Outsiders)> PartnershipAsync()
    {
        var members = await _admin.NewCouncilsAsync("MD", "ED", "TD");
        var outsiders = await _admin.NewCouncilsAsync("OA", "OB");
        var partnership = await _admin.ServiceWithFixedSplitAsync(
            "DAP",
            "2024-04",
            (members[0], 60m),
            (members[1], 30m),
            (members[2], 10m));
        return (partnership, members, outsiders);
    }

    [Fact]
    public async Task
        A_support_agreement_into_a_partnership_stays_proposed_until_every_member_approves_and_they_hear_of_it()
    {
        var (partnership, members, outsiders) = await PartnershipAsync();
        // The support service's members: one partnership council and one outsider, who would pass cost into it.
        var support = UniqueCode("SUP");
        await _admin.CreateServiceAsync(support, members[0], [members[0], outsiders[0]]);
        await _admin.AgreeAsync(support, FixedSplit("2024-04", (members[0], 50m), (outsiders[0], 50m)));
        var keys = new Dictionary<string, HttpClient>();
        foreach (var council in members.Concat(outsiders.Take(1)))
        {
            keys[council] = await factory.CouncilClient(council, AllScopes);
        }

        var path = $"consent/{members[2]}";
        await keys[members[2]].SubscribeAsync(null, _receiver.Url(path), "agreement.proposed", "agreement.agreed");

        var proposed = await keys[members[0]].ProposeAsync(support, SupportOf("2024-04", partnership));
        Assert.Equal(
            new[] { members[0], members[1], members[2], outsiders[0] }.Order(StringComparer.Ordinal),
            proposed.GetProperty("awaitingApproval").EnumerateArray().Select(c => c.GetString()));

        // The two councils of the support service agree between themselves: not enough.
        await (await keys[outsiders[0]].ApproveAsync(support, proposed, outsiders[0])).JsonAsync(HttpStatusCode.OK);
        var afterOwn = await (await keys[members[0]].ApproveAsync(support, proposed, members[0])).JsonAsync(
            HttpStatusCode.OK);
        Assert.Equal("proposed", afterOwn.Text("status"));
        await _admin.PostCostAsync(support, "2024-05", 1_000_000m, members[0]);
        await _admin.PostCostAsync(partnership, "2024-05", 10_000m, members[0]);
        Assert.Equal(
            1_000m,
            (await keys[members[2]].StatementAsync(members[2], "2024-05")).LineFor(partnership).Money("share"));

        // The smallest partner, not a member of the support service, is told, sees it waiting, and reads what it would
        // pay.
        await WebhookSteps.EventuallyAsync(
            () => _receiver.At(path).Any(r => r.Type == "agreement.proposed"),
            "agreement.proposed at the partner");
        var waiting = await keys[members[2]].GetJsonAsync($"/api/v1/councils/{members[2]}/awaiting-approval");
        var item = Assert.Single(waiting.EnumerateArray(), w => w.Text("service") == support);
        Assert.Equal(proposed.Text("id"), item.GetProperty("agreement").Text("id"));
        var url = $"/api/v1/shared-services/{support}/agreements/{proposed.Text("id")}";
        Assert.Equal("proposed", (await keys[members[2]].GetJsonAsync(url)).Text("status"));
        var impact = await keys[members[2]].GetJsonAsync($"{url}/impact/2024-05");
        var own = Assert.Single(impact.GetProperty("councils").EnumerateArray(), c => c.Text("council") == members[2]);
        Assert.Equal(100_000m, own.Money("difference"));

        // The support service itself stays out of its sight.
        await (await keys[members[2]].GetAsync($"/api/v1/shared-services/{support}")).ProblemAsync(
            HttpStatusCode.NotFound);

        await (await keys[members[1]].ApproveAsync(support, proposed, members[1])).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(
            1_000m,
            (await keys[members[2]].StatementAsync(members[2], "2024-05")).LineFor(partnership).Money("share"));
        var agreed = await (await keys[members[2]].ApproveAsync(support, proposed, members[2])).JsonAsync(
            HttpStatusCode.OK);
        Assert.Equal("agreed", agreed.Text("status"));
        Assert.Equal(
            101_000m,
            (await keys[members[2]].StatementAsync(members[2], "2024-05")).LineFor(partnership).Money("share"));
        await WebhookSteps.EventuallyAsync(
            () => _receiver.At(path).Any(r => r.Type == "agreement.agreed"),
            "agreement.agreed at the partner");
    }

    [Fact]
    public async Task
        An_outsider_naming_a_partnership_it_cannot_see_gets_exactly_the_answer_for_a_code_that_does_not_exist()
    {
        var (partnership, _, outsiders) = await PartnershipAsync();
        var support = UniqueCode("SUP");
        await _admin.CreateServiceAsync(support, outsiders[0], outsiders);
        var outsider = await factory.CouncilClient(outsiders[0], AllScopes);
        var missing = UniqueCode("DAP");

        var hidden = await outsider.PostAsJsonAsync(
            $"/api/v1/shared-services/{support}/agreements",
            SupportOf("2024-04", partnership));
        var unknown = await outsider.PostAsJsonAsync(
            $"/api/v1/shared-services/{support}/agreements",
            SupportOf("2024-04", missing));

        var hiddenBody = (await hidden.ProblemAsync(HttpStatusCode.BadRequest, "supports")).ToString()
            .Replace(partnership, "CODE", StringComparison.Ordinal);
        var unknownBody = (await unknown.ProblemAsync(HttpStatusCode.BadRequest, "supports")).ToString()
            .Replace(missing, "CODE", StringComparison.Ordinal);
        Assert.Equal(Without(unknownBody, "traceId"), Without(hiddenBody, "traceId"));
        Assert.Empty(
            (await outsider.GetJsonAsync($"/api/v1/councils/{outsiders[0]}/awaiting-approval")).EnumerateArray());
    }

    [Fact]
    public async Task A_council_not_party_to_a_support_agreement_cannot_read_or_approve_it()
    {
        var (partnership, members, outsiders) = await PartnershipAsync();
        var support = UniqueCode("SUP");
        await _admin.CreateServiceAsync(support, members[0], [members[0], members[1]]);
        var proposed = await _admin.ProposeAsync(support, SupportOf("2024-04", partnership));
        var stranger = await factory.CouncilClient(outsiders[1], AllScopes);

        var url = $"/api/v1/shared-services/{support}/agreements/{proposed.Text("id")}";
        await (await stranger.GetAsync(url)).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"{url}/impact/2024-05")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.ApproveAsync(support, proposed, outsiders[1])).ProblemAsync(HttpStatusCode.NotFound);
    }

    private static string Without(string json, string property)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove(property);
        return node.ToJsonString();
    }
}
