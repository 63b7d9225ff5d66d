using Marten;
using NodaTime;
using ProductHub.Hub.Api;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Units;
using Wolverine.Http;

namespace ProductHub.Hub.Parts.Querying;

public static class GetBom
{
    /// <summary>
    /// The BOM of a revision on an effective date (default today), as the hub knew it at <c>asOf</c>
    /// (default now). Without <c>revision</c>, the revision released and effective on that date is used.
    /// <c>depth</c> is a number of levels (default 1) or <c>all</c>.
    /// </summary>
    [WolverineGet("/api/v1/parts/{partNumber}/bom")]
    public static async Task<IResult> Get(
        string partNumber, string? revision, string? effective, string? asOf, string? depth,
        IQuerySession session, IClock clock, CancellationToken ct)
    {
        if (!QueryParameters.TryDate(effective, nameof(effective), clock.GetCurrentInstant().InUtc().Date, out var date, out var problem) ||
            !QueryParameters.TryInstant(asOf, nameof(asOf), out var knownAt, out problem) ||
            !QueryParameters.TryDepth(depth, nameof(depth), out var levels, out problem))
        {
            return problem!;
        }

        var part = await session.LoadAsync<PartView>(partNumber, ct);
        if (part is null || !part.IsKnownAsOf(knownAt)) return GetPart.UnknownPart(partNumber);

        var asOfText = knownAt is null ? "" : $" as of {knownAt}";
        RevisionView? chosen;
        if (revision is not null)
        {
            chosen = part.FindRevision(revision);
            if (chosen is null || !chosen.IsReleasedAsOf(knownAt))
                return Problems.NotFound($"{partNumber} has no released revision {revision}{asOfText}.");
        }
        else
        {
            chosen = part.RevisionEffectiveOn(date, knownAt);
            if (chosen is null)
                return Problems.NotFound($"No revision of {partNumber} is released and effective on {date}{asOfText}.");
        }

        var explosion = new BomExplosion(
            async numbers => (await session.LoadManyAsync<PartView>(ct, numbers)).ToDictionary(p => p.Id),
            await UnitCatalog.LoadAsync(session, ct));
        return Results.Ok(await explosion.ExplodeAsync(part, chosen, date, knownAt, levels));
    }
}
