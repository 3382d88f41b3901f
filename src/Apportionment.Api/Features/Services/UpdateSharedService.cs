using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Services;

/// <summary>
/// Renames a service, sets its end month, or changes its members: adding a council is how it joins; a council that an
/// agreed agreement names, or that has postings, activity figures or closed months in the service, cannot be removed,
/// and the end month cannot move before a month the ledger already records.
/// </summary>
public sealed record UpdateSharedService(string? Name, string? EndMonth, IReadOnlyList<string>? Members)
    : ICommand<SharedServiceDto>, IAudited<SharedServiceDto>
{
    [JsonIgnore]
    public string Code { get; init; } = "";

    [JsonIgnore] public string AuditEntity => "shared-service";
    public string AuditEntityId(SharedServiceDto response) => response.Code;
}

public sealed class UpdateSharedServiceValidator : IValidator<UpdateSharedService>
{
    public void Validate(UpdateSharedService request, ValidationErrors errors)
    {
        if (request.Name is not null)
        {
            errors.Name("name", request.Name, 200);
        }

        errors.MonthText("endMonth", request.EndMonth, required: false);
        if (request.Members is not null)
        {
            MembersRule.Validate(errors, request.Members, host: null);
        }
    }
}

public sealed class UpdateSharedServiceHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<UpdateSharedService, SharedServiceDto>
{
    public async ValueTask<SharedServiceDto> Handle(UpdateSharedService command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Code, caller, cancellationToken, tracked: true);
        if (command.Name is not null)
        {
            service.Name = command.Name.Trim();
        }

        if (command.EndMonth is not null)
        {
            var end = command.EndMonth.ToMonthColumn();
            if (end < service.StartMonth)
            {
                throw RequestValidationException.For("endMonth", "Must not be before the service's start month.");
            }

            if (await db.LastRecordedMonthAsync(service.Code, cancellationToken) is { } last && end < last)
            {
                throw new ConflictException(
                    $"'{service.Code}' has postings, activity figures or a closed month in {last.ToMonthText()}; its "
                        + "end month cannot be before that.");
            }

            service.EndMonth = end;
        }

        if (command.Members is not null)
        {
            await ChangeMembersAsync(service, command.Members, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return SharedServiceDto.From(service);
    }

    private async Task ChangeMembersAsync(SharedService service, IReadOnlyList<string> members, CancellationToken ct)
    {
        if (!members.Contains(service.HostCouncil, StringComparer.Ordinal))
        {
            throw RequestValidationException.For(
                "members",
                $"The host council '{service.HostCouncil}' must stay a member.");
        }

        await db.EnsureCouncilsExistAsync("members", members, ct);
        var removed = service.Members.Where(m => !members.Contains(m.Council, StringComparer.Ordinal)).ToList();
        if (removed.Count > 0)
        {
            // Every agreed agreement stays in force for its months (a later one only supersedes it from then on), and a
            // proposal may yet be agreed: a council any of them names keeps shares, so it must stay to see its
            // statements.
            var named = await db.SplitAgreements.AsNoTracking()
                .Where(a => a.ServiceCode == service.Code
                    && (a.Status == AgreementStatus.Agreed || a.Status == AgreementStatus.Proposed))
                .Select(a => a.Councils).ToListAsync(ct);
            var blocked = removed.Select(r => r.Council).Where(c => named.Any(councils => councils.Contains(c)))
                .ToList();
            if (blocked.Count > 0)
            {
                throw new ConflictException(
                    $"Council(s) {string.Join(", ", blocked)} are named in an agreed or proposed split agreement of "
                        + $"'{service.Code}'; they keep shares under it, so they stay members.");
            }

            var holds = await db.HoldsOnAsync(service, removed, ct);
            if (holds.Count > 0)
            {
                throw new ConflictException(
                    $"A council whose figures are in '{service.Code}' stays a member, so its statements stay whole: "
                        + $"{string.Join("; ", holds)}.");
            }

            foreach (var member in removed)
            {
                service.Members.Remove(member);
            }
        }

        var now = clock.GetUtcNow();
        foreach (var added in members.Where(m => service.Members.All(x => x.Council != m)))
        {
            service.Members.Add(new ServiceMember { ServiceCode = service.Code, Council = added, JoinedAt = now });
        }
    }
}

public static class UpdateSharedServiceEndpoint
{
    public static void MapUpdateSharedService(this RouteGroupBuilder services) =>
        services.MapPatch("/{code}",
            async (string code, UpdateSharedService command, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command with { Code = code }, ct)))
            .WithName("UpdateSharedService").WithSummary("Rename, end, or change the members of a shared service.")
            .RequireAuthorization(Scopes.Admin);
}
