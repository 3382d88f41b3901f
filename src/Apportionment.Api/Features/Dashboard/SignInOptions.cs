using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Dashboard;

/// <summary>
/// One identity provider the dashboard can sign in with: what a public browser client needs, no secret.
/// </summary>
public sealed record SignInIssuer(string Council, string CouncilName, string Authority, string ClientId, string Scope);

public sealed record SignInOptionsDto(IReadOnlyList<SignInIssuer> Issuers);

/// <summary>Where a newcomer finds the dashboard and the API documentation (GET /).</summary>
public sealed record ServiceFrontDoor(
    string Service,
    string Dashboard,
    string Documentation,
    string OpenApi,
    string Note);

/// <summary>
/// The issuers the dashboard offers before anyone has signed in (GET /dashboard/sign-in-options), and the service's
/// front door (GET /). Both open, like the dashboard's files: they hold no figures and no secret (a public client's id
/// and the issuer's address are what every browser that signs in sees anyway).
/// </summary>
public static class SignInOptions
{
    public const string Path = DashboardSite.RequestPath + "/sign-in-options";

    public static WebApplication MapDashboardEntry(this WebApplication app)
    {
        app.MapGet(Path, async (IReadOnlyList<TrustedIssuer> issuers, ApportionmentDb db, CancellationToken ct) =>
        {
            var offered = issuers.Where(i => i.ClientId is not null && i.Council is not null).ToList();
            var codes = offered.Select(i => i.Council!).ToList();
            var names = await db.Councils.AsNoTracking().Where(c => codes.Contains(c.Code))
                .ToDictionaryAsync(c => c.Code, c => c.Name, StringComparer.Ordinal, ct);
            return TypedResults.Ok(new SignInOptionsDto(offered
                .Select(i => new SignInIssuer(
                    i.Council!,
                    names.GetValueOrDefault(i.Council!, i.Council!),
                    i.Issuer,
                    i.ClientId!,
                    i.Scope))
                .OrderBy(i => i.CouncilName, StringComparer.Ordinal)
                .ToList()));
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapGet("/", (HttpContext http) =>
        {
            // A browser goes straight to the dashboard; any other client gets the links as JSON.
            if (http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                return Results.Redirect(DashboardSite.RequestPath + "/");
            }

            return Results.Ok(new ServiceFrontDoor("Apportionment", DashboardSite.RequestPath
                + "/", "/swagger/", "/openapi/v1.json",
                "Every figure under /api/v1 needs an X-Api-Key or a bearer token; an administrator creates council "
                    + "keys with POST /api/v1/api-keys."));
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
