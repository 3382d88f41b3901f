using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Webhooks;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Webhooks;

/// <summary>Subscribes a council's endpoint to events about the services the council belongs to.</summary>
public sealed record CreateWebhook(string? Council, string Url, IReadOnlyList<string> Events) :
    ICommand<WebhookSecretDto>,
    IAudited<WebhookSecretDto>
{
    public const int MaxPerCouncil = 20;

    [JsonIgnore] public string AuditEntity => "webhook";
    public string AuditEntityId(WebhookSecretDto response) => response.Id.ToString();
}

public sealed class CreateWebhookValidator(IOptions<WebhookOptions> options) : IValidator<CreateWebhook>
{
    public void Validate(CreateWebhook request, ValidationErrors errors)
    {
        if (request.Council is not null)
        {
            errors.Code("council", request.Council);
        }

        if (EndpointSafety.ShapeProblem(request.Url, options.Value) is { } problem)
        {
            errors.Add("url", problem);
        }

        if (request.Events is null || request.Events.Count == 0)
        {
            errors.Add("events", $"Give at least one of: {string.Join(", ", WebhookEventTypes.All)}.");
            return;
        }

        for (var i = 0; i < request.Events.Count; i++)
        {
            if (!WebhookEventTypes.All.Contains(request.Events[i]))
            {
                errors.Add($"events[{i}]", $"Unknown event; use one of: {string.Join(", ", WebhookEventTypes.All)}.");
            }
        }
    }
}

public sealed class CreateWebhookHandler(
    ApportionmentDb db,
    Caller caller,
    IOptions<WebhookOptions> options,
    TimeProvider clock) : ICommandHandler<CreateWebhook, WebhookSecretDto>
{
    public async ValueTask<WebhookSecretDto> Handle(CreateWebhook command, CancellationToken cancellationToken)
    {
        var council = command.Council ?? caller.Council ?? throw RequestValidationException.For(
            "council",
            "Is required with an admin key: the council whose events the endpoint receives.");
        caller.EnsureActsFor(council, "manage webhooks");
        await db.EnsureCouncilsExistAsync("council", [council], cancellationToken);
        if (await EndpointSafety.AddressProblemAsync(
            new Uri(command.Url),
            options.Value,
            cancellationToken) is { } problem)
        {
            throw RequestValidationException.For("url", problem);
        }

        if (await db.WebhookSubscriptions.CountAsync(
            s => s.Council == council && s.DeletedAt == null,
            cancellationToken) >= CreateWebhook.MaxPerCouncil)
        {
            throw new ConflictException(
                $"Council '{council}' already has {CreateWebhook.MaxPerCouncil} webhooks; delete one first.");
        }

        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(),
            Council = council,
            Url = command.Url,
            Events = command.Events.Distinct(StringComparer.Ordinal).ToArray(),
            Secret = WebhookSignature.NewSecret(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookSecretDto(
            subscription.Id,
            council,
            subscription.Url,
            subscription.Events,
            subscription.Secret,
            subscription.CreatedAt,
            null);
    }
}
