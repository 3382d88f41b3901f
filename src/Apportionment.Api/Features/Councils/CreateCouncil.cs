using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Councils;

/// <summary>Registers a council (a principal authority) by its short code, e.g. MDDC for Mid Devon.</summary>
public sealed record CreateCouncil(string Code, string Name) : ICommand<CouncilDto>, IAudited<CouncilDto>
{
    [JsonIgnore] public string AuditEntity => "council";
    public string AuditEntityId(CouncilDto response) => response.Code;
}

public sealed class CreateCouncilValidator : IValidator<CreateCouncil>
{
    public void Validate(CreateCouncil request, ValidationErrors errors)
    {
        errors.Code("code", request.Code);
        errors.Name("name", request.Name, 200);
    }
}

public sealed class CreateCouncilHandler(
    ApportionmentDb db,
    TimeProvider clock) : ICommandHandler<CreateCouncil, CouncilDto>
{
    public async ValueTask<CouncilDto> Handle(CreateCouncil command, CancellationToken cancellationToken)
    {
        if (await db.Councils.AnyAsync(c => c.Code == command.Code, cancellationToken))
        {
            throw new ConflictException($"Council '{command.Code}' already exists.");
        }

        var council = new Council { Code = command.Code, Name = command.Name.Trim(), CreatedAt = clock.GetUtcNow() };
        db.Councils.Add(council);
        await db.SaveChangesAsync(cancellationToken);
        return CouncilDto.From(council);
    }
}

public static class CreateCouncilEndpoint
{
    public static void MapCreateCouncil(this RouteGroupBuilder councils) =>
        councils.MapPost("/", async (CreateCouncil command, IMediator mediator, CancellationToken ct) =>
            {
                var council = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/councils/{council.Code}", council);
            })
            .WithName("CreateCouncil").WithSummary("Register a council.")
            .RequireAuthorization(Scopes.Admin);
}
