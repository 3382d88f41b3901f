using Apportionment.Api.Infrastructure.Security;
using Microsoft.Extensions.FileProviders;

namespace Apportionment.Api.Features.Dashboard;

/// <summary>
/// The partner dashboard at /dashboard/: static pages that sign in with an API key or with the council's identity
/// provider (<see cref="SignInOptions"/>) and read everything through the public /api/v1 endpoints, so they can show
/// nothing the key or token could not fetch itself. The build puts the files in
/// dashboard/ beside the assembly (Dashboard/Dashboard.targets).
/// </summary>
public static class DashboardSite
{
    public const string RequestPath = "/dashboard";

    /// <summary>
    /// Everything from the service itself: no inline script or style, no other host. The page connects to the API and,
    /// to sign in, to the identity providers the dashboard may use (discovery, token and user info endpoints).
    /// </summary>
    public static string ContentSecurityPolicy(IEnumerable<TrustedIssuer> issuers)
    {
        var origins = issuers.Where(i => i.ClientId is not null)
            .Select(i => new Uri(i.Authority).GetLeftPart(UriPartial.Authority))
            .Distinct(StringComparer.Ordinal);
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
            $"connect-src {string.Join(' ', origins.Prepend("'self'"))}; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors 'none'";
    }

    public static string Root => Path.Combine(AppContext.BaseDirectory, "dashboard");

    /// <summary>
    /// Served before authentication, like Swagger UI: the files hold no data; every figure needs a key.
    /// </summary>
    public static WebApplication UseDashboard(this WebApplication app)
    {
        if (!Directory.Exists(Root))
        {
            app.Logger.LogWarning(
                "No dashboard files at {Root}: /dashboard/ is not served (build the Api project with npm available).",
                Root);
            return app;
        }

        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<IReadOnlyList<TrustedIssuer>>());
        var files = new PhysicalFileProvider(Root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = RequestPath });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = RequestPath,
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.ContentSecurityPolicy = policy;
                // Revalidate every time (ETag, 304): a new release is picked up at once, and it is cheap.
                c.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
