namespace Apportionment.Api.Infrastructure.Security;

/// <summary>
/// Security headers on every answer, errors included. They are added as the response starts, so the exception
/// handler (which clears the headers of a failed response before writing its problem) cannot drop them.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (!http.Request.Path.StartsWithSegments("/swagger") && !headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            }

            // An answer to a key or token is that caller's alone: no shared cache may keep it, and a browser
            // revalidates it every time (the ETag still saves the body). Vary names the credential headers it depends
            // on.
            if (http.Request.Path.StartsWithSegments("/api")
                && (http.Request.Headers.ContainsKey("X-Api-Key") || http.Request.Headers.ContainsKey("Authorization")))
            {
                headers.CacheControl = "private, no-cache";
                headers.Append("Vary", "X-Api-Key, Authorization");
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
