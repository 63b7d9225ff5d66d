using Marten.Events.Projections;
using NodaTime;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;

namespace ProductHub.Projections.Documents;

/// <summary>A document: its released revisions and every part revision and operation that uses one of them.</summary>
public sealed class DocumentView
{
    public string Id { get; set; } = "";
    public List<DocumentRevisionView> Revisions { get; set; } = [];
    public List<DocumentUsage> WhereUsed { get; set; } = [];
}

public sealed record DocumentRevisionView(
    string Revision, string Title, string Kind, string Uri, string Sha256, string PackageId, Instant RecordedAt);

/// <param name="OperationNumber">Null where the part revision uses the document as a whole.</param>
public sealed record DocumentUsage(string DocumentRevision, string PartNumber, string Revision, int? OperationNumber, Instant RecordedAt);

public sealed class DocumentViewProjection : MultiStreamProjection<DocumentView, string>
{
    public DocumentViewProjection()
    {
        Identity<DocumentRevisionReleased>(e => e.DocumentNumber);
        Identity<DocumentReferenced>(e => e.Document.DocumentNumber);
    }

    public DocumentView Create(DocumentRevisionReleased e) => Apply(e, new DocumentView { Id = e.DocumentNumber });

    // A package releases a document and the parts using it together, so the part's reference may come first.
    public DocumentView Create(DocumentReferenced e) => Apply(e, new DocumentView { Id = e.Document.DocumentNumber });

    public DocumentView Apply(DocumentRevisionReleased e, DocumentView view)
    {
        view.Revisions.Add(new DocumentRevisionView(e.Revision, e.Title, e.Kind, e.Uri, e.Sha256, e.PackageId, e.RecordedAt));
        return view;
    }

    public DocumentView Apply(DocumentReferenced e, DocumentView view)
    {
        view.WhereUsed.Add(new DocumentUsage(e.Document.Revision, e.PartNumber, e.Revision, e.OperationNumber, e.RecordedAt));
        return view;
    }
}
