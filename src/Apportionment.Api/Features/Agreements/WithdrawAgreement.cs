using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Webhooks;

namespace Apportionment.Api.Features.Agreements;

/// <summary>Withdraws a proposal. An agreed agreement is never withdrawn, only superseded by a later one.</summary>
public sealed record WithdrawAgreement(string Service, Guid Id, string? IfMatch) :
    ICommand<AgreementDto>,
    IAudited<AgreementDto>
{
    [JsonIgnore] public string AuditEntity => "split-agreement";
    public string AuditEntityId(AgreementDto response) => response.Id.ToString();
}

public sealed class WithdrawAgreementHandler(
    ApportionmentDb db,
    Caller caller,
    WebhookOutbox outbox,
    TimeProvider clock) : ICommandHandler<WithdrawAgreement, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(WithdrawAgreement command, CancellationToken cancellationToken)
    {
        var (_, agreement) = await AgreementLock.LoadForChangeAsync(
            db,
            caller,
            command.Service,
            command.Id,
            command.IfMatch,
            cancellationToken);
        if (!caller.IsAdmin && !agreement.Approvers.Contains(caller.Council))
        {
            throw new ForbiddenException(
                $"Council '{caller.Council}' is not a party to this agreement and cannot withdraw it.");
        }

        if (agreement.Status != AgreementStatus.Proposed)
        {
            throw new ConflictException(agreement.Status == AgreementStatus.Agreed
                ? "An agreed agreement cannot be withdrawn; propose a new one from a later month to supersede it."
                : "The agreement has already been withdrawn.");
        }

        agreement.Status = AgreementStatus.Withdrawn;
        agreement.WithdrawnAt = clock.GetUtcNow();
        await outbox.AgreementAsync(WebhookEventTypes.AgreementWithdrawn, agreement, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await db.Entry(agreement).ReloadAsync(cancellationToken);
        return AgreementDto.From(agreement);
    }
}

public static class WithdrawAgreementEndpoint
{
    public static void MapWithdrawAgreement(this RouteGroupBuilder agreements) =>
        agreements.MapDelete("/{id:guid}",
            async (string code, Guid id, HttpRequest request, HttpResponse response, IMediator mediator,
                CancellationToken ct) =>
            {
                var agreement = await mediator.Send(
                    new WithdrawAgreement(code, id, request.Headers.IfMatch.FirstOrDefault()),
                    ct);
                response.Headers.ETag = agreement.ETag;
                return TypedResults.Ok(agreement);
            })
            .WithName("WithdrawAgreement").WithSummary("Withdraw a proposed agreement.")
            .RequireAuthorization(Scopes.AgreementsApprove);
}
