using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Units;
using Wolverine.Http;

namespace ProductHub.Hub.Parts.Querying;

[Tags("Parts")]
public static class GetBom
{
    /// <summary>
    /// The BOM of a revision on an effective date as the hub knew it at <c>asOf</c>. Without <c>revision</c>,
    /// the revision released and effective on that date is used.
    /// </summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/parts/{partNumber}/bom", OperationId = "getBom", Summary = "The BOM of a part's revision on a date, as known at an instant")]
    [ProducesResponseType<ExplodedBom>(StatusCodes.Status200OK), ProblemAnswers(404, 422)]
    public static async Task<IResult> Get(
        string partNumber, string? revision, string? effective, string? asOf, string? depth,
        IQuerySession session, IClock clock, ExplosionPartViews partViews, CancellationToken ct)
    {
        var (request, problem) = await BomRequest.ResolveAsync(partNumber, revision, effective, asOf, depth, session, clock, ct);
        if (request is null) return problem!;
        try
        {
            return Results.Ok(await ExplodeAsync(request, session, partViews, ct));
        }
        catch (UncomputableQuantityException e)
        {
            return Uncomputable(e);
        }
    }

    public static IResult Uncomputable(UncomputableQuantityException e) =>
        Problems.Unprocessable("A quantity of this structure cannot be computed", e.Errors);

    public static async Task<ExplodedBom> ExplodeAsync(
        BomRequest request, IQuerySession session, ExplosionPartViews partViews, CancellationToken ct)
    {
        var explosion = new BomExplosion(
            partViews.For(session, ct),
            await UnitCatalog.LoadAsync(session, ct), EngineeredLines.Instance);
        return await explosion.ExplodeAsync(request.Part, request.Revision, request.Effective, request.AsOf, request.Depth);
    }
}
