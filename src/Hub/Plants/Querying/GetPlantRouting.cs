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
using ProductHub.Projections.Boms;
using ProductHub.Projections.Plants;
using ProductHub.Projections.Units;
using Wolverine.Http;

namespace ProductHub.Hub.Plants.Querying;

[Tags("Plants")]
public static class GetPlantRouting
{
    /// <summary>
    /// The routing a plant builds a part with, with the plant MBOM's bitemporal semantics: the revision's operations at
    /// the plant's work centers, consuming the MBOM lines the plant's rules leave (a phantom's lines under the parent's
    /// find number), as the hub knew the part and the rules at <c>asOf</c>. A part the plant buys has none.
    /// </summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/plants/{plantCode}/parts/{partNumber}/routing", OperationId = "getPlantRouting",
        Summary = "The routing of a part in a plant on a date, as known at an instant, with the times for a quantity")]
    [ProducesResponseType<PartRouting>(StatusCodes.Status200OK), ProblemAnswers(404, 422)]
    public static async Task<IResult> Get(
        string plantCode, string partNumber, string? revision, string? effective, string? asOf, string? quantity,
        IQuerySession session, IClock clock, ExplosionPartViews partViews, CancellationToken ct)
    {
        if (!QueryParameters.TryQuantity(quantity, nameof(quantity), out var amount, out var invalid)) return invalid!;
        var (request, problem) = await BomRequest.ResolveAsync(partNumber, revision, effective, asOf, null, session, clock, ct);
        if (request is null) return problem!;
        try
        {
            return await RoutingAsync(plantCode, request, amount, session, partViews, ct) is { } routing
                ? Results.Ok(routing)
                : ConfigurePlantEndpoint.UnknownPlant(plantCode);
        }
        catch (UncomputableQuantityException e)
        {
            return GetBom.Uncomputable(e);
        }
    }

    /// <summary>The plant's routing of the reading, or null where the plant was not configured at the reading's instant.</summary>
    /// <exception cref="UncomputableQuantityException">A line's quantity cannot be converted to the plant's unit.</exception>
    public static async Task<PartRouting?> RoutingAsync(
        string plantCode, BomRequest request, decimal? quantity, IQuerySession session, ExplosionPartViews partViews, CancellationToken ct)
    {
        if (await GetPlantMbom.RulesAsOfAsync(plantCode, request.AsOf, session, ct) is not { } rules) return null;
        if (rules.ProcurementOf(request.Part.Id, request.Revision.Type) != Procurement.Make) return PartRouting.Of(plantCode, request, [], quantity);

        var parts = partViews.For(session, ct);
        var lines = new PlantLines(rules, await UnitCatalog.LoadAsync(session, ct), request.AsOf);
        await lines.LoadAsync([request.Revision], parts);
        return PartRouting.Of(plantCode, request, PlantRouting.Of(request.Revision, lines.LinesOf(request.Revision, parts), rules), quantity);
    }
}
