using Apportionment.Api.Infrastructure.Errors;
using Mediator;

namespace Apportionment.Api.Infrastructure.Pipeline;

/// <summary>Runs every validator for the message; any error stops the request with a 400 naming the fields.</summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        foreach (var validator in validators)
        {
            validator.Validate(message, errors);
        }

        return errors.IsEmpty ? next(message, cancellationToken) : throw new RequestValidationException(errors.ToDictionary());
    }
}
