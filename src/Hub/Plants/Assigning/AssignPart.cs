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
        var stream = await session.Events.FetchForWriting<Plant>(PlantStreams.Plant(plantCode), ct);
        if (stream.Aggregate is not { } plant) return ConfigurePlantEndpoint.UnknownPlant(plantCode);
        if (await session.LoadAsync<PartView>(partNumber, ct) is null) return GetPart.UnknownPart(partNumber);

        var now = clock.GetCurrentInstant();
        if (AssignPartDecision.Decide(partNumber, plant, now) is not { } decision)
            return Results.Ok(new AssignmentResponse(plantCode, partNumber, plant.Assigned[partNumber]));
        await decision.RecordAsync(session, stream, bus, now);
        await session.SaveChangesAsync(ct);
        return Results.Created(
            $"/api/v1/plants/{Uri.EscapeDataString(plantCode)}/parts/{Uri.EscapeDataString(partNumber)}",
            new AssignmentResponse(plantCode, partNumber, now));
    }
}

public static class AssignPartDecision
{
    /// <summary>A part is assigned once: assigning it again records nothing, and the first assignment is the answer.</summary>
    public static PlantDecision? Decide(string partNumber, Plant plant, Instant now) =>
        plant.Assigned.ContainsKey(partNumber)
            ? null
            : new PlantDecision(new PartAssignedToPlant(plant.Code, partNumber, now), new SyncPlant(plant.Code, [partNumber], $"{partNumber} assigned"));
}
