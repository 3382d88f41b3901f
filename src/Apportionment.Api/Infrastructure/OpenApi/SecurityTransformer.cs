using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// The X-Api-Key and bearer token schemes (either will do) on every operation that is not anonymous, and the scope
/// it needs — read from the endpoint's authorization policy (each policy is named after its scope), so the document
/// cannot drift from what is enforced.
/// </summary>
public sealed class SecurityTransformer : IOpenApiOperationTransformer
{
    public const string SchemeName = "ApiKey";
    public const string BearerSchemeName = "Bearer";

    public Task TransformAsync(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }

        var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
            .Where(Scopes.All.Contains).Distinct().ToList();
        // Two requirements, not one with two schemes: either credential alone is enough.
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] },
            new OpenApiSecurityRequirement {
                [new OpenApiSecuritySchemeReference(BearerSchemeName, context.Document)] = [] },
        ];
        var needs = scopes.Count == 0
            ? "Requires any valid API key or bearer token (no particular scope)."
            : $"Requires scope {string.Join(" and ", scopes.Select(s => $"`{s}`"))}" + (scopes.Contains(Scopes.Admin)
                ? "."
                : " (an `admin` key holds every scope).");
        operation.Description = string.IsNullOrEmpty(operation.Description)
            ? needs
            : operation.Description + "\n\n" + needs;
        return Task.CompletedTask;
    }

    public static void AddSchemeTo(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description
                = "An API key issued by an administrator (POST /api/v1/api-keys). A council's key acts only for "
                + $"that council; its scopes ({string.Join(", ", Scopes.All)}) limit what it may do.",
        };
        document.Components.SecuritySchemes[BearerSchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description
                = "An access token from a council's own identity provider (one configured in Auth:Issuers). The token "
                + "acts only for the council its issuer is bound to; its scope/scp values and roles map to the same "
                + "scopes as "
                + "API keys (costs:write or costs.write, any case; admin only from the admin issuer). See "
                + "docs/identity.md.",
        };
    }
}
