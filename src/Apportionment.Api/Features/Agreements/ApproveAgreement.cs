using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Webhooks;

namespace Apportionment.Api.Features.Agreements;

/// <summary>
/// One council's approval. The last approval makes the agreement agreed, exactly once, however they race.
/// </summary>
public sealed record ApproveAgreement(string Council) : ICommand<AgreementDto>, IAudited<AgreementDto>
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public Guid Id { get; init; }
    [JsonIgnore] public string? IfMatch { get; init; }

    [JsonIgnore] public string AuditEntity => "split-agreement";
    public string AuditEntityId(AgreementDto response) => response.Id.ToString();
}

public sealed class ApproveAgreementValidator : IValidator<ApproveAgreement>
{
    public void Validate(ApproveAgreement request, ValidationErrors errors) => errors.Code("council", request.Council);
}

public sealed class ApproveAgreementHandler(
    ApportionmentDb db,
    Caller caller,
    ClosedMonths closed,
    WebhookOutbox outbox,
    TimeProvider clock) : ICommandHandler<ApproveAgreement, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(ApproveAgreement command, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(command.Council, "approve agreements");
        var (service, agreement) = await AgreementLock.LoadForChangeAsync(
            db,
            caller,
            command.Service,
            command.Id,
            command.IfMatch,
            cancellationToken);
        if (!agreement.Approvers.Contains(command.Council))
        {
            throw new ConflictException($"Council '{command.Council}' is not a party to this agreement.");
        }

        if (agreement.Status != AgreementStatus.Proposed)
        {
            throw new ConflictException(
                $"The agreement is {agreement.Status}; only a proposed agreement can be approved.");
        }

        if (agreement.Approvals.Any(a => a.Council == command.Council))
        {
            throw new ConflictException($"Council '{command.Council}' has already approved this agreement.");
        }

        var now = clock.GetUtcNow();
        agreement.Approvals.Add(new AgreementApproval
        {
            AgreementId = agreement.Id, Council = command.Council, ApprovedAt = now, ApprovedByKey = caller.KeyId,
            ApprovedBy = caller.KeyName, ApprovedByName = caller.PersonName,
        });
        await outbox.AgreementAsync(
            WebhookEventTypes.AgreementApproved,
            agreement,
            cancellationToken,
            approvedBy: command.Council);
        if (agreement.Approvers.All(c => agreement.Approvals.Any(a => a.Council == c)))
        {
            // The last approval puts it in force: months closed since it was proposed must not be re-split.
            await closed.EnsureAgreementMonthsOpenAsync(
                agreement.ServiceCode,
                agreement.EffectiveFrom,
                cancellationToken,
                agreement.Supports);
            if (agreement.IsSupport
                && await SupportChecks.ProblemAsync(db, service, agreement, cancellationToken) is { } problem)
            {
                throw new ConflictException($"The agreement cannot be agreed as it stands: {problem}");
            }

            agreement.Status = AgreementStatus.Agreed;
            agreement.AgreedAt = now;
            await outbox.AgreementAsync(WebhookEventTypes.AgreementAgreed, agreement, cancellationToken);
        }

        AgreementLock.Touch(db, agreement);
        await db.SaveChangesAsync(cancellationToken);
        await db.Entry(agreement).ReloadAsync(cancellationToken);
        return AgreementDto.From(agreement);
    }
}

/// <summary>Serialises changes to one agreement: a row lock, then the If-Match check against its version.</summary>
public static class AgreementLock
{
    public static async Task<(SharedService Service, SplitAgreement Agreement)> LoadForChangeAsync(
        ApportionmentDb db, Caller caller, string service, Guid id, string? ifMatch, CancellationToken ct)
    {
        var found = await db.ServiceOfAgreementAsync(caller, service, id, ct);
        var locked = await db.Database.SqlQuery<Guid>(
            $"select id as \"Value\" from split_agreements where id = {id} and service_code = {service} for update")
            .ToListAsync(ct);
        if (locked.Count == 0)
        {
            throw new NotFoundException("Split agreement", id.ToString());
        }

        var agreement = await db.SplitAgreements.Include(a => a.Approvals).SingleAsync(a => a.Id == id, ct);
        if (ifMatch is not null && ifMatch != "*" && ifMatch.Trim().Trim('"') != agreement.Version.ToString())
        {
            throw new PreconditionFailedException($"The agreement has changed since version {ifMatch}; it is now "
                + $"version \"{agreement.Version}\". Fetch it again.");
        }

        return (found, agreement);
    }

    /// <summary>Any change to approvals moves the agreement's version, so ETags notice it.</summary>
    public static void Touch(ApportionmentDb db, SplitAgreement agreement) =>
        db.Entry(agreement).Property(a => a.Status).IsModified = true;
}

public static class ApproveAgreementEndpoint
{
    public static void MapApproveAgreement(this RouteGroupBuilder agreements) =>
        agreements.MapPost("/{id:guid}/approvals",
            async (string code, Guid id, ApproveAgreement command, HttpRequest request, HttpResponse response,
                IMediator mediator, CancellationToken ct) =>
            {
                var agreement = await mediator.Send(
                    command with { Service = code, Id = id, IfMatch = request.Headers.IfMatch.FirstOrDefault() },
                    ct);
                response.Headers.ETag = agreement.ETag;
                return TypedResults.Ok(agreement);
            })
            .WithName("ApproveAgreement").WithSummary(
                "Record one council's approval; the last approval puts the agreement in force.")
            .RequireAuthorization(Scopes.AgreementsApprove);
}
