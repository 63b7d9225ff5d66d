using System.Collections.Immutable;

namespace ProductHub.Domain.Documents;

/// <summary>What release intake decides on for one document, folded from its stream by <see cref="Evolve"/>: its released revisions.</summary>
public sealed record Document(string Id, ImmutableDictionary<string, DocumentRevisionReleased> Revisions)
{
    public static Document? Evolve(Document? document, object e) => (document, e) switch
    {
        (null, DocumentRevisionReleased x) => new Document(
            DocumentStreams.Document(x.DocumentNumber), ImmutableDictionary<string, DocumentRevisionReleased>.Empty.Add(x.Revision, x)),
        ({ } d, DocumentRevisionReleased x) => d with { Revisions = d.Revisions.SetItem(x.Revision, x) },
        _ => document,
    };
}
