using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.Parts.Querying;
using ProductHub.Hub.Plants.Configuring;
using ProductHub.Hub.Security;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Plants;
using ProductHub.Projections.Units;
using Wolverine.Http;

namespace ProductHub.Hub.Plants.Querying;

public sealed record PlantMbomResponse(
    string PlantCode, string PartNumber, string Revision, LocalDate Effective, Instant? AsOf, IReadOnlyList<ExplodedLine> Lines);

[Tags("Plants")]
public static class GetPlantMbom
{
    /// <summary>
    /// The plant MBOM with the canonical BOM's bitemporal semantics: the EBOM and the plant's rules are both
    /// read as the hub knew them at <c>asOf</c>. Each line names its procurement in the plant and the rules that changed it.
    /// </summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/plants/{plantCode}/parts/{partNumber}/mbom", OperationId = "getPlantMbom",
        Summary = "The plant MBOM of a part on a date, as known at an instant")]
    [ProducesResponseType<PlantMbomResponse>(StatusCodes.Status200OK), ProblemAnswers(404, 422)]
    public static async Task<IResult> Get(
        string plantCode, string partNumber, string? revision, string? effective, string? asOf, string? depth,
        IQuerySession session, IClock clock, ExplosionPartViews partViews, CancellationToken ct)
    {
        var (request, problem) = await BomRequest.ResolveAsync(partNumber, revision, effective, asOf, depth, session, clock, ct);
        if (request is null) return problem!;
        ExplodedBom? bom;
        try
        {
            bom = await ExplodeAsync(plantCode, request, session, partViews, ct);
        }
        catch (UncomputableQuantityException e)
        {
            return GetBom.Uncomputable(e);
        }
        if (bom is null) return ConfigurePlantEndpoint.UnknownPlant(plantCode);
        return Results.Ok(new PlantMbomResponse(plantCode, bom.PartNumber, bom.Revision, bom.Effective, bom.AsOf, bom.Lines));
    }

    /// <summary>The MBOM with the plant's rules as known at the request's instant; null when the plant was not known then.</summary>
    public static async Task<ExplodedBom?> ExplodeAsync(
        string plantCode, BomRequest request, IQuerySession session, ExplosionPartViews partViews, CancellationToken ct)
    {
        if (await RulesAsOfAsync(plantCode, request.AsOf, session, ct) is not { } rules) return null;

        var units = await UnitCatalog.LoadAsync(session, ct);
        var explosion = new BomExplosion(partViews.For(session, ct), units, new PlantLines(rules, units, request.AsOf));
        return await explosion.ExplodeAsync(request.Part, request.Revision, request.Effective, request.AsOf, request.Depth);
    }

    /// <summary>The plant's rules as known at <paramref name="asOf"/>; null when the plant was not known then.</summary>
    public static async Task<PlantRules?> RulesAsOfAsync(string plantCode, Instant? asOf, IQuerySession session, CancellationToken ct) =>
        (await session.LoadAsync<PlantView>(PlantStreams.Plant(plantCode), ct))?.ConfigurationAsOf(asOf)?.Rules;
}
