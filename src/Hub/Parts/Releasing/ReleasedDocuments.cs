using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;

namespace ProductHub.Hub.Parts.Releasing;

/// <summary>
/// The documents of a package: the revisions it releases (immutable once released) and the document revisions its parts
/// and operations use, which must be released in the package or before.
/// </summary>
public static class ReleasedDocuments
{
    /// <summary>Every document the package releases or refers to: the streams release intake must read.</summary>
    public static IReadOnlyList<string> Named(ReleasePackage package) =>
        (package.Documents ?? []).Select(d => d.DocumentNumber)
            .Concat(package.Parts.SelectMany(References).Select(r => r.Reference.DocumentNumber))
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The package's document revisions that are new. One released before with the same content is nothing new; with other
    /// content it is refused, as a changed part revision is.
    /// </summary>
    public static IReadOnlyList<DocumentRevisionReleased> Decide(
        ReleasePackage package, IReadOnlyDictionary<string, Document> known, FieldErrors errors, Instant now)
    {
        var released = new List<DocumentRevisionReleased>();
        var documents = package.Documents ?? [];
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            if (known.GetValueOrDefault(document.DocumentNumber)?.Revisions.GetValueOrDefault(document.Revision) is { } before)
            {
                if (DocumentRevision.Of(before) != document)
                    errors.Add($"$.documents[{i}]",
                        $"{document.DocumentNumber} revision {document.Revision} was released before (package {before.PackageId}) with " +
                        "different content; a released document revision is immutable, so a changed file needs a new revision");
                continue;
            }
            released.Add(new DocumentRevisionReleased(
                document.DocumentNumber, document.Revision, document.Title, document.Kind, document.Uri, document.Sha256,
                package.PackageId, now));
        }
        return released;
    }

    /// <summary>The document revisions a package's parts may use: those released before, and the package's own.</summary>
    public static IReadOnlyDictionary<DocumentReference, DocumentRevision> Available(
        ReleasePackage package, IReadOnlyDictionary<string, Document> known)
    {
        var available = known.Values.SelectMany(d => d.Revisions.Values).Select(DocumentRevision.Of)
            .ToDictionary(d => new DocumentReference(d.DocumentNumber, d.Revision));
        foreach (var document in package.Documents ?? [])
            available.TryAdd(new DocumentReference(document.DocumentNumber, document.Revision), document);
        return available;
    }

    /// <summary>The part's uses of documents, as the document revisions they name; a name that is not available is an error.</summary>
    public static IReadOnlyList<DocumentReferenced> Resolve(
        ReleasedPart part, string path, IReadOnlyDictionary<DocumentReference, DocumentRevision> available, FieldErrors errors)
    {
        var resolved = new List<DocumentReferenced>();
        foreach (var (reference, operationNumber, at) in References(part))
        {
            if (available.GetValueOrDefault(reference) is { } document)
                resolved.Add(new DocumentReferenced(part.PartNumber, part.Revision, operationNumber, document, default));
            else
                errors.Add($"{path}.{at}",
                    $"document {reference.DocumentNumber} revision {reference.Revision} is unknown: it is neither in this package's " +
                    "documents nor released to the hub before");
        }
        return resolved;
    }

    /// <summary>The uses' part of the revision's content hash: nothing for a revision without documents, as before them.</summary>
    public static IEnumerable<string> HashLines(IReadOnlyList<DocumentReferenced> uses) =>
        uses.Select(u => $"{u.OperationNumber}|{u.Document.DocumentNumber}|{u.Document.Revision}").Order(StringComparer.Ordinal);

    private static IEnumerable<(DocumentReference Reference, int? OperationNumber, string At)> References(ReleasedPart part)
    {
        var own = part.Documents ?? [];
        for (var j = 0; j < own.Count; j++) yield return (own[j], null, $"documents[{j}]");
        var operations = part.Operations ?? [];
        for (var k = 0; k < operations.Count; k++)
        {
            var used = operations[k].Documents ?? [];
            for (var j = 0; j < used.Count; j++) yield return (used[j], operations[k].OperationNumber, $"operations[{k}].documents[{j}]");
        }
    }
}
