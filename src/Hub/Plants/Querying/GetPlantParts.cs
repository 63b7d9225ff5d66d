using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.Plants.Configuring;
using ProductHub.Hub.Security;
using ProductHub.Projections.Plants;
using Wolverine.Http;

namespace ProductHub.Hub.Plants.Querying;

public sealed record PublishedPart(
    string PartNumber, string Revision, int Version, string ContentHash, Procurement Procurement, int Lines,
    Instant PublishedAt, string Cause);

[Tags("Plants")]
public static class GetPlantParts
{
    /// <summary>The parts published to a plant, each with its latest published version and content hash.</summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/plants/{plantCode}/parts", OperationId = "listPlantParts",
        Summary = "The parts published to a plant, each with its latest version and content hash")]
    [ProducesResponseType<ListPage<PublishedPart>>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(
        string plantCode, string? page, string? pageSize, HttpRequest request, IQuerySession session, CancellationToken ct)
    {
        if (!Paging.TryRead(page, pageSize, out var paging, out var problem)) return problem!;
        if (await session.LoadAsync<PlantView>(PlantStreams.Plant(plantCode), ct) is null)
            return ConfigurePlantEndpoint.UnknownPlant(plantCode);

        var published = session.Query<PlantBomView>().Where(v => v.PlantCode == plantCode).OrderBy(v => v.Id);
        return await paging.AnswerAsync(request, published, v => new PublishedPart(
            v.PartNumber, v.Latest.Revision, v.Latest.Version, v.Latest.ContentHash, v.Latest.Item.Procurement,
            v.Latest.Lines.Count, v.Latest.RecordedAt, v.Latest.Cause), ct);
    }

    /// <summary>One publication in full: the item and lines exactly as sent to the plant.</summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/plants/{plantCode}/parts/{partNumber}", OperationId = "getPlantPublication", Summary = "One publication to a plant in full, as sent")]
    [ProducesResponseType<PlantBomPublished>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> GetOne(string plantCode, string partNumber, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<PlantBomView>(PlantStreams.Mbom(plantCode, partNumber), ct) is { } view
            ? Results.Ok(view.Latest)
            : Problems.NotFound($"Nothing of {partNumber} was published to plant {plantCode}.");
}
