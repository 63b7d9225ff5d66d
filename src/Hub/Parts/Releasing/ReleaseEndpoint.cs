using System.Text.Json;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using ProductHub.Domain;
using ProductHub.Domain.Documents;
using ProductHub.Hub.Api;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Observability;
using ProductHub.Hub.Security;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Units;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ProductHub.Hub.Parts.Releasing;

[Tags("Parts")]
public static class ReleaseEndpoint
{
    /// <summary>
    /// Takes a release package from PLM: all its facts become events in one transaction, or nothing is stored.
    /// The session is saved here rather than by Wolverine's transactional middleware because a lost race
    /// (another writer on the same part or the same package) must become an answer, not an error.
    /// </summary>
    [Authorize(Policy = Access.Engineering)]
    [WolverinePost("/api/v1/releases", OperationId = "releasePackage", Summary = "Release a package of part revisions from PLM"), NonTransactional]
    [ProducesResponseType<ReleaseAnswer>(StatusCodes.Status201Created), ProblemAnswers(409, 422)]
    public static async Task<IResult> Post(
        ReleasePackage package, HttpContext http, IDocumentSession session, IDocumentStore store, IMessageBus bus, IClock clock,
        IOptions<JsonOptions> json, HubMetrics metrics, CancellationToken ct)
    {
        var invalid = ReleasePackageRules.Check(package);
        if (invalid.Count > 0) return Problems.Invalid(invalid);

        var requestHash = ContentHash.Of(JsonSerializer.Serialize(package, json.Value.SerializerOptions));
        if (await session.LoadAsync<ReleaseReceipt>(package.PackageId, ct) is { } earlier)
        {
            metrics.Duplicate("release-package");
            return Replay(earlier, requestHash);
        }

        // One round trip for the whole package rather than one per part.
        var fetched = await session.Events.FetchManyForWriting<Part>(package.Parts.Select(p => p.PartNumber).ToList(), ct);
        var streams = fetched.ToDictionary(s => s.Key!, StringComparer.Ordinal);
        var named = ReleasedDocuments.Named(package);
        var documentStreams = named.Count == 0
            ? new Dictionary<string, IEventStream<Document>>()
            : (await session.Events.FetchManyForWriting<Document>(named.Select(DocumentStreams.Document).ToList(), ct))
                .ToDictionary(s => s.Key!, StringComparer.Ordinal);
        IEventStream<Document> DocumentStream(string number) => documentStreams[DocumentStreams.Document(number)];
        var context = new ReleaseContext(
            streams.Where(s => s.Value.Aggregate is not null).ToDictionary(s => s.Key, s => s.Value.Aggregate!),
            await KnownChildUnitsAsync(session, package, ct),
            await StoredParentsAsync(session, package.Parts.Select(p => p.PartNumber), ct),
            await UnitCatalog.LoadAsync(session, ct),
            named.Where(n => DocumentStream(n).Aggregate is not null).ToDictionary(n => n, n => DocumentStream(n).Aggregate!, StringComparer.Ordinal));

        var recordedAt = clock.GetCurrentInstant();
        var decision = ReleaseDecision.Decide(package, context, recordedAt);
        if (decision.IsRejected)
        {
            metrics.Release("rejected");
            return Problems.Unprocessable("The release package was rejected", decision.Rejections);
        }

        session.CorrelationId = package.ChangeOrder ?? package.PackageId;
        Correlation.Mark(session.CorrelationId, http);
        session.CausationId = package.PackageId;
        session.SetHeader("source", package.Source);
        session.SetHeader("packageId", package.PackageId);
        var released = decision.Outcomes.Where(o => o.Released).ToList();
        foreach (var outcome in released)
        {
            streams[outcome.PartNumber].AppendMany(outcome.Events);
        }
        foreach (var document in decision.Documents)
        {
            DocumentStream(document.DocumentNumber).AppendOne(document);
        }
        if (released.Count > 0)
        {
            var releasedParts = released.Select(o => o.PartNumber).ToList();
            // The same correlation id on the envelope: what listeners do about the release carries it on.
            await bus.PublishAsync(new PartsReleased(package.PackageId, releasedParts, [.. releasedParts.Union(context.StoredParents.Keys)]),
                new DeliveryOptions { CorrelationId = session.CorrelationId });
        }

        var releasedDocuments = decision.Documents.Select(d => (d.DocumentNumber, d.Revision)).ToHashSet();
        var receipt = new ReleaseReceipt
        {
            Id = package.PackageId,
            RequestHash = requestHash,
            Answer = new ReleaseAnswer(
                Guid.CreateVersion7(), package.PackageId, package.Source, package.ChangeOrder, recordedAt,
                decision.Outcomes.Sum(o => o.Events.Count) + decision.Documents.Count,
                decision.Outcomes.Select(o => new ReleasedPartAnswer(
                    o.PartNumber, o.Revision, o.Released ? "released" : "unchanged", o.Events.Count)).ToList(),
                package.Documents?.Select(d => new ReleasedDocumentAnswer(d.DocumentNumber, d.Revision,
                    releasedDocuments.Contains((d.DocumentNumber, d.Revision)) ? "released" : "unchanged")).ToList()),
        };
        session.Insert(receipt);

        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (WriteConflict.Is(e))
        {
            // Someone else wrote first. If it was this very package, answer as they were answered.
            await using var fresh = store.QuerySession();
            return await fresh.LoadAsync<ReleaseReceipt>(package.PackageId, ct) is { } winner
                ? Replay(winner, requestHash)
                : Problems.Conflict("Another release changed one of these parts at the same time; send the package again.");
        }

        metrics.Release("recorded");
        return Results.Created($"/api/v1/releases/{Uri.EscapeDataString(package.PackageId)}", receipt.Answer);
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/releases/{packageId}", OperationId = "getRelease", Summary = "The answer given to a release package")]
    [ProducesResponseType<ReleaseAnswer>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string packageId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ReleaseReceipt>(packageId, ct) is { } receipt
            ? Results.Ok(receipt.Answer)
            : Problems.NotFound($"No release package {packageId} was received.");

    private static IResult Replay(ReleaseReceipt earlier, string requestHash) =>
        earlier.RequestHash == requestHash
            ? Results.Created($"/api/v1/releases/{Uri.EscapeDataString(earlier.Id)}", earlier.Answer)
            : Problems.Conflict($"Package id {earlier.Id} was already used for a package with different content.");

    private static async Task<IReadOnlyDictionary<string, string>> KnownChildUnitsAsync(
        IQuerySession session, ReleasePackage package, CancellationToken ct)
    {
        var outside = package.Parts.SelectMany(p => p.Bom ?? []).Select(l => l.PartNumber)
            .Except(package.Parts.Select(p => p.PartNumber)).Distinct().ToArray();
        if (outside.Length == 0) return new Dictionary<string, string>();
        var known = await session.LoadManyAsync<PartView>(ct, outside);
        return known.ToDictionary(p => p.Id, p => p.Unit);
    }

    /// <summary>
    /// The stored links above the package's parts, child → parents, in one recursive query over the narrow link
    /// table: walking upward a batch per level took a round trip per level of a deep chain, and walking where-used
    /// documents unpacked every line of every revision of each parent.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, IReadOnlyCollection<string>>> StoredParentsAsync(
        IQuerySession session, IEnumerable<string> partNumbers, CancellationToken ct)
    {
        var ids = partNumbers.Distinct().ToArray();
        var found = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var id in ids) ParentsOf(id);
        var table = PartLinksTable.In(session.DocumentStore.Options.DatabaseSchemaName);
        // UNION (not UNION ALL) drops links already found, so the walk ends even where it meets a part twice.
        var sql = $"""
            WITH RECURSIVE edge(child, parent) AS (
              SELECT child, parent FROM {table} WHERE child = ANY(@ids)
              UNION
              SELECT l.child, l.parent FROM edge JOIN {table} l ON l.child = edge.parent
            )
            SELECT child, parent FROM edge
            """;
        // On a connection of its own: Marten's raw SQL maps documents, not a plain (text, text) row.
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ParentsOf(reader.GetString(0)).Add(reader.GetString(1));
            ParentsOf(reader.GetString(1));
        }
        return found.ToDictionary(f => f.Key, f => (IReadOnlyCollection<string>)f.Value, StringComparer.Ordinal);

        HashSet<string> ParentsOf(string part) =>
            found.TryGetValue(part, out var parents) ? parents : found[part] = new HashSet<string>(StringComparer.Ordinal);
    }
}
