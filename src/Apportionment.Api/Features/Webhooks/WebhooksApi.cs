namespace Apportionment.Api.Features.Webhooks;

public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(Scopes.WebhooksManage);
        webhooks.MapPost("/", async (CreateWebhook command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/webhooks/{created.Id}", created);
            })
            .WithName("CreateWebhook").WithSummary(
                "Subscribe an endpoint to events; the signing secret is shown only in this response.");
        webhooks
            .MapGet("/", async (string? council, int? offset, int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListWebhooks(council, offset, limit), ct)))
            .WithName("ListWebhooks")
            .WithSummary("List live subscriptions (never their secrets).");
        webhooks.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetWebhook(id), ct)))
            .WithName("GetWebhook").WithSummary("One subscription (never its secret).");
        webhooks.MapDelete("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new DeleteWebhook(id), ct)))
            .WithName("DeleteWebhook").WithSummary("Delete a subscription; deliveries still waiting are cancelled.");
        webhooks.MapPost("/{id:guid}/secret-rotations", async (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RotateWebhookSecret(id), ct)))
            .WithName("RotateWebhookSecret").WithSummary(
                "Issue a new signing secret, shown once; both signatures are sent until previousSecretUntil.");
        webhooks.MapGet("/{id:guid}/deliveries",
            async (Guid id, string? status, int? offset, int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListDeliveries(id, status, offset, limit), ct)))
            .WithName("ListWebhookDeliveries").WithSummary(
                "The delivery log: status, attempts, last response code and next retry, newest first.");
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver",
            async (Guid id, Guid deliveryId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new Redeliver(id, deliveryId), ct)))
            .WithName("RedeliverWebhook").WithSummary(
                "Send a failed or succeeded delivery again now, with the same webhook-id.");
        return api;
    }
}
