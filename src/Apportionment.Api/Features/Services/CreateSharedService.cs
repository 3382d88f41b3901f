using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Services;

/// <summary>A service run by a host council for member councils (the host is a member too).</summary>
public sealed record CreateSharedService(
    string Code, string Name, string HostCouncil, IReadOnlyList<string> Members, string StartMonth, string? EndMonth,
    string? Description)
    : ICommand<SharedServiceDto>, IAudited<SharedServiceDto>
{
    [JsonIgnore] public string AuditEntity => "shared-service";
    public string AuditEntityId(SharedServiceDto response) => response.Code;
}

public sealed class CreateSharedServiceValidator : IValidator<CreateSharedService>
{
    public void Validate(CreateSharedService request, ValidationErrors errors)
    {
        errors.Code("code", request.Code);
        errors.Name("name", request.Name, 200);
        errors.Code("hostCouncil", request.HostCouncil);
        errors.MonthText("startMonth", request.StartMonth);
        errors.MonthText("endMonth", request.EndMonth, required: false);
        errors.Text("description", request.Description, 2000, required: false);
        MembersRule.Validate(errors, request.Members, request.HostCouncil);
        if (Month.TryParse(request.StartMonth, out var start) && Month.TryParse(request.EndMonth, out var end)
            && end < start)
        {
            errors.Add("endMonth", "Must not be before startMonth.");
        }
    }
}

public static class MembersRule
{
    public static void Validate(ValidationErrors errors, IReadOnlyList<string>? members, string? host)
    {
        if (members is null || members.Count < 2)
        {
            errors.Add("members", "A shared service needs at least two member councils.");
            return;
        }

        for (var i = 0; i < members.Count; i++)
        {
            errors.Code($"members[{i}]", members[i]);
        }

        if (members.Distinct(StringComparer.Ordinal).Count() != members.Count)
        {
            errors.Add("members", "A council is listed more than once.");
        }

        if (host is not null && !members.Contains(host, StringComparer.Ordinal))
        {
            errors.Add("members", "The host council must be a member.");
        }
    }
}

public sealed class CreateSharedServiceHandler(
    ApportionmentDb db,
    TimeProvider clock) : ICommandHandler<CreateSharedService, SharedServiceDto>
{
    public async ValueTask<SharedServiceDto> Handle(CreateSharedService command, CancellationToken cancellationToken)
    {
        if (await db.SharedServices.AnyAsync(s => s.Code == command.Code, cancellationToken))
        {
            throw new ConflictException($"Shared service '{command.Code}' already exists.");
        }

        await db.EnsureCouncilsExistAsync("members", command.Members, cancellationToken);
        var now = clock.GetUtcNow();
        var service = new SharedService
        {
            Code = command.Code,
            Name = command.Name.Trim(),
            HostCouncil = command.HostCouncil,
            StartMonth = command.StartMonth.ToMonthColumn(),
            EndMonth = command.EndMonth?.ToMonthColumn(),
            Description = command.Description,
            CreatedAt = now,
            Members = command.Members
                .Select(m => new ServiceMember { ServiceCode = command.Code, Council = m, JoinedAt = now })
                .ToList(),
        };
        db.SharedServices.Add(service);
        await db.SaveChangesAsync(cancellationToken);
        return SharedServiceDto.From(service);
    }
}

public static class CreateSharedServiceEndpoint
{
    public static void MapCreateSharedService(this RouteGroupBuilder services) =>
        services.MapPost("/", async (CreateSharedService command, IMediator mediator, CancellationToken ct) =>
            {
                var service = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/shared-services/{service.Code}", service);
            })
            .WithName("CreateSharedService").WithSummary("Set up a shared service with its host and member councils.")
            .RequireAuthorization(Scopes.Admin);
}
