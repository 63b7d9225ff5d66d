using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.Parts.Querying;
using ProductHub.Hub.Plants.Configuring;
using ProductHub.Hub.Plants.Publishing;
using ProductHub.Hub.Security;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Plants;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;

namespace ProductHub.Hub.Plants.Assigning;

public sealed record AssignmentResponse(string PlantCode, string PartNumber, Instant AssignedAt);

[Tags("Plants")]
public static class AssignPartEndpoint
{
    /// <summary>
    /// The plant builds this part: it receives the part and everything in its structure from now on, so the
    /// assignment triggers a sync of that structure.
    /// </summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePut("/api/v1/plants/{plantCode}/parts/{partNumber}", OperationId = "assignPart", Summary = "Assign a part to a plant, which then receives its structure")]
    [NonTransactional]
    [ProducesResponseType<AssignmentResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<AssignmentResponse>(StatusCodes.Status201Created), ProblemAnswers(404)]
    public static async Task<IResult> Put(
        string plantCode, string partNumber, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<PlantView>(PlantStreams.Plant(plantCode), ct);
        if (stream.Aggregate is not { } plant) return ConfigurePlantEndpoint.UnknownPlant(plantCode);
        if (await session.LoadAsync<PartView>(partNumber, ct) is null) return GetPart.UnknownPart(partNumber);

        if (plant.Assignments.Find(a => a.PartNumber == partNumber) is { } existing)
            return Results.Ok(new AssignmentResponse(plantCode, partNumber, existing.AssignedAt));

        var assigned = new PartAssignedToPlant(plantCode, partNumber, clock.GetCurrentInstant());
        stream.AppendOne(assigned);
        await bus.PublishAsync(new SyncPlant(plantCode, [partNumber], $"{partNumber} assigned"));
        await session.SaveChangesAsync(ct);
        return Results.Created(
            $"/api/v1/plants/{Uri.EscapeDataString(plantCode)}/parts/{Uri.EscapeDataString(partNumber)}",
            new AssignmentResponse(plantCode, partNumber, assigned.RecordedAt));
    }
}
