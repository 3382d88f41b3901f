using System.Diagnostics;

namespace Apportionment.Api.Infrastructure.Pipeline;

public sealed class LoggingBehaviour<TMessage, TResponse>(
    ILogger<LoggingBehaviour<TMessage, TResponse>> logger) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            logger.LogDebug(
                "{Request} handled in {ElapsedMs:0.0} ms",
                typeof(TMessage).Name,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception e)
        {
            logger.LogInformation(
                "{Request} failed after {ElapsedMs:0.0} ms: {Error}",
                typeof(TMessage).Name,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                e.Message);
            throw;
        }
    }
}
