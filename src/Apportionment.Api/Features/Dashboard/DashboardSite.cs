using Microsoft.Extensions.FileProviders;

namespace Apportionment.Api.Features.Dashboard;

/// <summary>
/// The partner dashboard at /dashboard/: static pages that sign in with an API key and read everything through the
/// public /api/v1 endpoints, so they can show nothing the key could not fetch itself. The build puts the files in
/// dashboard/ beside the assembly (Dashboard/Dashboard.targets).
/// </summary>
public static class DashboardSite
{
    public const string RequestPath = "/dashboard";

    /// <summary>Everything from the service itself: no inline script or style, no other host, the API the only connection.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static string Root => Path.Combine(AppContext.BaseDirectory, "dashboard");

    /// <summary>Served before authentication, like Swagger UI: the files hold no data; every figure needs a key.</summary>
    public static WebApplication UseDashboard(this WebApplication app)
    {
        if (!Directory.Exists(Root))
        {
            app.Logger.LogWarning("No dashboard files at {Root}: /dashboard/ is not served (build the Api project with npm available).", Root);
            return app;
        }

        var files = new PhysicalFileProvider(Root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = RequestPath });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = RequestPath,
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                // Revalidate every time (ETag, 304): a new release is picked up at once, and it is cheap.
                c.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
