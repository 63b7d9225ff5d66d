using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using ProductHub.Projections.Parts;
using Wolverine.Http;

namespace ProductHub.Hub.Parts.Querying;

public sealed record ParentUsage(
    string PartNumber, string Revision, string Description, int FindNumber, decimal Quantity, string Unit,
    LocalDate EffectiveFrom, LocalDate? EffectiveTo);

[Tags("Parts")]
public static class GetWhereUsed
{
    /// <summary>The parents whose revision effective on the date (default today) uses the part on that date, a page of them.</summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/parts/{partNumber}/where-used", OperationId = "getWhereUsed", Summary = "The parents whose effective revision uses a part")]
    [ProducesResponseType<ListPage<ParentUsage>>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(
        string partNumber, string? effective, string? asOf, string? page, string? pageSize, HttpRequest request, IQuerySession session,
        IClock clock, CancellationToken ct)
    {
        if (!QueryParameters.TryDate(effective, nameof(effective), clock.GetCurrentInstant().InUtc().Date, out var date, out var problem) ||
            !QueryParameters.TryInstant(asOf, nameof(asOf), out var knownAt, out problem) ||
            !Paging.TryRead(page, pageSize, out var paging, out problem))
        {
            return problem!;
        }

        var usedIn = await ParentsAsync(partNumber, date, knownAt, session, ct);
        return usedIn is null ? GetPart.UnknownPart(partNumber) : paging.Answer(request, usedIn);
    }

    /// <summary>The parents using the part on the date as known at the instant (null: now), or null for a part unknown then.</summary>
    public static async Task<IReadOnlyList<ParentUsage>?> ParentsAsync(
        string partNumber, LocalDate date, Instant? knownAt, IQuerySession session, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var partQuery = batch.Load<PartView>(partNumber);
        var usageQuery = batch.Load<WhereUsedView>(partNumber);
        await batch.Execute(ct);
        var part = await partQuery;
        if (part is null || !part.IsKnownAsOf(knownAt)) return null;

        var usages = (await usageQuery)?.Usages ?? [];
        var parents = (await session.LoadManyAsync<PartView>(ct, usages.Select(u => u.ParentPartNumber).Distinct()))
            .ToDictionary(p => p.Id);
        return usages
            .Where(u => u.IsEffectiveOn(date))
            .Select(u => (Usage: u, Parent: parents.GetValueOrDefault(u.ParentPartNumber)))
            .Select(x => (x.Usage, Revision: x.Parent?.RevisionEffectiveOn(date, knownAt)))
            .Where(x => x.Revision?.Revision == x.Usage.ParentRevision)
            .Select(x => new ParentUsage(
                x.Usage.ParentPartNumber, x.Usage.ParentRevision, x.Revision!.Description, x.Usage.FindNumber,
                x.Usage.Quantity, x.Usage.Unit, x.Usage.EffectiveFrom, x.Usage.EffectiveTo))
            .OrderBy(u => u.PartNumber, StringComparer.Ordinal).ThenBy(u => u.FindNumber)
            .ToList();
    }
}
