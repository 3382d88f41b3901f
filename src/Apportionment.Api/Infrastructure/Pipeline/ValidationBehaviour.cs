namespace Apportionment.Api.Infrastructure.Pipeline;

/// <summary>Runs every validator for the message; any error stops the request with a 400 naming the fields.</summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(
    IEnumerable<IValidator<TMessage>> validators) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        foreach (var validator in validators)
        {
            validator.Validate(message, errors);
        }

        if (message is IIdempotent { IdempotencyKey: { } key })
        {
            IdempotencyKeys.Validate(key, errors);
        }

        return errors.IsEmpty
            ? next(message, cancellationToken)
            : throw new RequestValidationException(errors.ToDictionary());
    }
}

/// <summary>
/// The Idempotency-Key header (empty means none): up to 200 visible ASCII characters (a UUID, or the client's own
/// reference).
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;

    public static void Validate(string key, ValidationErrors errors)
    {
        if (key.Length > MaxLength || key.Any(c => c is < '!' or > '~'))
        {
            errors.Add(Header, $"Must be at most {MaxLength} visible ASCII characters (no spaces), e.g. a UUID.");
        }
    }
}
