using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Apportionment.Api.Infrastructure.Security;

/// <summary>
/// Enforces Limits:MaxRequestBodyBytes on every host, not only Kestrel (whose own limit IIS, TestServer and other
/// servers do not apply): a declared Content-Length above the limit is refused before anything reads it, and a body
/// without one (chunked) is cut off as soon as it passes the limit. Both answer 413 problem+json.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IConfiguration configuration)
{
    private readonly long _limit = configuration.GetValue<long>("Limits:MaxRequestBodyBytes", 32 * 1024 * 1024);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength is { } declared && declared > _limit)
        {
            await RejectAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = _limit;
        }

        var limited = new LimitedReadStream(context.Request.Body, _limit);
        context.Request.Body = limited;
        await next(context);

        // Model binding may swallow the read error; if nothing has been written yet, the answer is still 413.
        if (limited.Exceeded && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await RejectAsync(context);
        }
    }

    private async Task RejectAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Type = ProblemTypes.PayloadTooLarge,
                Title = "Request body too large.",
                Detail = $"The request body must not exceed {_limit} bytes.",
            },
        });
    }

    /// <summary>Counts what is read and throws Kestrel's 413 exception once the total passes the limit.</summary>
    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(
            Memory<byte> buffer,
            CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                Exceeded = true;
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            }

            return read;
        }
    }
}

/// <summary>
/// Puts security headers and the body limit first in the pipeline, ahead of everything the application adds.
/// </summary>
internal sealed class SecurityStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        next(app);
    };
}
