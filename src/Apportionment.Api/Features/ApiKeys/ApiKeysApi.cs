using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.ApiKeys;

public sealed record ApiKeyDto(
    Guid Id,
    string Name,
    string? Council,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateOnly? ExpiresOn,
    DateTimeOffset? RevokedAt)
{
    public static ApiKeyDto From(ApiKey k)
        => new(k.Id, k.Name, k.Council, k.Scopes, k.CreatedAt, k.ExpiresOn, k.RevokedAt);
}

/// <summary>Returned once, at creation: the only time the secret is ever shown.</summary>
public sealed record CreatedApiKeyDto(
    Guid Id,
    string Key,
    string Name,
    string? Council,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateOnly? ExpiresOn);

/// <summary>A key for one council's finance system or officers, with the scopes it needs and nothing more.</summary>
public sealed record CreateApiKey(string Name, string? Council, IReadOnlyList<string> Scopes, DateOnly? ExpiresOn) :
    ICommand<CreatedApiKeyDto>,
    IAudited<CreatedApiKeyDto>
{
    [JsonIgnore] public string AuditEntity => "api-key";
    public string AuditEntityId(CreatedApiKeyDto response) => response.Id.ToString();
}

public sealed class CreateApiKeyValidator : IValidator<CreateApiKey>
{
    public void Validate(CreateApiKey request, ValidationErrors errors)
    {
        errors.Name("name", request.Name, 200);
        if (request.Scopes is null || request.Scopes.Count == 0)
        {
            errors.Add("scopes", $"Give at least one of: {string.Join(", ", Scopes.All)}.");
            return;
        }

        for (var i = 0; i < request.Scopes.Count; i++)
        {
            if (!Scopes.All.Contains(request.Scopes[i]))
            {
                errors.Add($"scopes[{i}]", $"Unknown scope; use one of: {string.Join(", ", Scopes.All)}.");
            }
        }

        var admin = request.Scopes.Contains(Scopes.Admin);
        if (!admin)
        {
            errors.Code("council", request.Council);
        }
        else if (request.Council is not null)
        {
            errors.Add("council", "An admin key is not bound to a council.");
        }
    }
}

public sealed class CreateApiKeyHandler(
    ApportionmentDb db,
    TimeProvider clock) : ICommandHandler<CreateApiKey, CreatedApiKeyDto>
{
    public async ValueTask<CreatedApiKeyDto> Handle(CreateApiKey command, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (command.ExpiresOn < today)
        {
            // A key born expired would be handed out yet refused at once: say so instead.
            throw RequestValidationException.For("expiresOn", $"Must be today ({today:yyyy-MM-dd}) or later.");
        }

        if (command.Council is not null)
        {
            await db.EnsureCouncilsExistAsync("council", [command.Council], cancellationToken);
        }

        var secret = ApiKeySecrets.NewSecret();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = command.Name.Trim(),
            Council = command.Council,
            Scopes = command.Scopes.Distinct().ToArray(),
            SecretHash = ApiKeySecrets.Hash(secret),
            CreatedAt = clock.GetUtcNow(),
            ExpiresOn = command.ExpiresOn,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKeyDto(key.Id, secret, key.Name, key.Council, key.Scopes, key.CreatedAt, key.ExpiresOn);
    }
}

public sealed record ListApiKeys(int? Offset, int? Limit) : IQuery<Page<ApiKeyDto>>;

public sealed class ListApiKeysHandler(ApportionmentDb db) : IQueryHandler<ListApiKeys, Page<ApiKeyDto>>
{
    public async ValueTask<Page<ApiKeyDto>> Handle(ListApiKeys query, CancellationToken cancellationToken)
    {
        var page = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt)
            .PageAsync(query.Offset, query.Limit, cancellationToken);
        return new Page<ApiKeyDto>(page.Items.Select(ApiKeyDto.From).ToList(), page.Offset, page.Limit, page.Total);
    }
}

/// <summary>Revokes a key; it is refused from the very next request.</summary>
public sealed record RevokeApiKey(Guid Id) : ICommand<ApiKeyDto>, IAudited<ApiKeyDto>
{
    [JsonIgnore] public string AuditEntity => "api-key";
    public string AuditEntityId(ApiKeyDto response) => response.Id.ToString();
}

public sealed class RevokeApiKeyHandler(
    ApportionmentDb db,
    TimeProvider clock) : ICommandHandler<RevokeApiKey, ApiKeyDto>
{
    public async ValueTask<ApiKeyDto> Handle(RevokeApiKey command, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("API key", command.Id.ToString());
        if (key.RevokedAt is not null)
        {
            throw new ConflictException("The key is already revoked.");
        }

        key.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return ApiKeyDto.From(key);
    }
}

public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeys(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(Scopes.Admin);
        keys.MapPost("/", async (CreateApiKey command, IMediator mediator, CancellationToken ct) =>
            {
                var key = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/api-keys/{key.Id}", key);
            })
            .WithName("CreateApiKey").WithSummary("Create a key; its secret is shown only in this response.");
        keys.MapGet("/", async (int? offset, int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListApiKeys(offset, limit), ct)))
            .WithName("ListApiKeys").WithSummary("List keys (never their secrets).");
        keys.MapDelete("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RevokeApiKey(id), ct)))
            .WithName("RevokeApiKey").WithSummary("Revoke a key, effective on the next request.");
        return api;
    }
}
