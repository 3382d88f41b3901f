namespace Apportionment.Api.Features.ApiKeys;

/// <summary>The key behind the request: whom it acts for and what it may do (council null for the admin key).</summary>
/// <summary>
/// Who is calling: the key's name (issuer#subject for a person's token), and the person's name when known.
/// </summary>
public sealed record CurrentKeyDto(
    string Name,
    string? Council,
    IReadOnlyList<string> Scopes,
    string? PersonName = null);

/// <summary>
/// Lets a client such as the partner dashboard show only what the key can do, without trying and failing.
/// </summary>
public sealed record GetCurrentKey : IQuery<CurrentKeyDto>;

public sealed class GetCurrentKeyHandler(Caller caller) : IQueryHandler<GetCurrentKey, CurrentKeyDto>
{
    public ValueTask<CurrentKeyDto> Handle(GetCurrentKey query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new CurrentKeyDto(caller.KeyName, caller.Council, caller.ScopesHeld, caller.PersonName));
}

public static class GetCurrentKeyEndpoint
{
    public static RouteGroupBuilder MapCurrentKey(this RouteGroupBuilder api)
    {
        api.MapGet("/me", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(
            await mediator.Send(new GetCurrentKey(), ct)))
            .WithName("GetCurrentKey").WithTags("API keys")
            .WithSummary("The calling key's name, council and scopes (any valid key; never its secret).")
            .RequireAuthorization();
        return api;
    }
}
