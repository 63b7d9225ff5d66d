using NodaTime;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;

namespace ProductHub.Projections.Parts;

/// <summary>
/// The canonical part: master data and every revision with its BOM, kept inline with the part's stream.
/// Revisions only ever get added and released revisions never change, so this one document also answers
/// "as the hub knew it at instant T": a revision counts from the instant its release was recorded.
/// </summary>
public sealed class PartView
{
    public string Id { get; set; } = "";
    public string Description { get; set; } = "";
    public string Unit { get; set; } = "";
    public PartType Type { get; set; }
    public Instant RegisteredAt { get; set; }
    public string? CurrentRevision { get; set; }
    public List<RevisionView> Revisions { get; set; } = [];

    public static PartView Create(PartRegistered e) => new()
    {
        Id = e.PartNumber, Description = e.Description, Unit = e.Unit, Type = e.Type, RegisteredAt = e.RecordedAt,
    };

    public void Apply(PartAttributesChanged e)
    {
        Description = e.Description;
        Unit = e.Unit;
        Type = e.Type;
    }

    public void Apply(RevisionCreated e) => Revisions.Add(new RevisionView
    {
        Revision = e.Revision,
        State = LifecycleState.InWork,
        Description = e.Description,
        Unit = e.Unit,
        Type = e.Type,
        BaseQuantity = e.BaseQuantity,
        BaseUnit = e.BaseUnit,
        EffectiveFrom = e.EffectiveFrom,
        Attributes = new Dictionary<string, string>(e.Attributes),
        CreatedAt = e.RecordedAt,
    });

    public void Apply(ComplianceRecorded e) => Revision(e.Revision).Compliance = e.Compliance;

    public void Apply(ApprovedManufacturerAdded e) =>
        Revision(e.Revision).ApprovedManufacturers.Add(new ApprovedManufacturer(e.Manufacturer, e.ManufacturerPartNumber));

    public void Apply(BomLineAdded e) => Revision(e.Revision).Bom.Add(new BomLineView(
        e.FindNumber, e.ChildPartNumber, e.Quantity, e.Unit, [.. e.ReferenceDesignators],
        e.Effectivity.From, e.Effectivity.To));

    public void Apply(OperationAdded e) => Revision(e.Revision).Operations.Add(new RoutedOperation(
        e.OperationNumber, e.Description, e.WorkCenter, e.Times, e.Effectivity, e.Consumes, e.Inspection));

    public void Apply(DocumentReferenced e)
    {
        var revision = Revision(e.Revision);
        revision.Documents.Add(new UsedDocument(e.OperationNumber, e.Document));
        var at = revision.Operations.FindIndex(o => o.OperationNumber == e.OperationNumber);
        if (at < 0) return;
        var operation = revision.Operations[at];
        revision.Operations[at] = operation with
        {
            Documents = [.. operation.Documents ?? [], new DocumentReference(e.Document.DocumentNumber, e.Document.Revision)],
        };
    }

    public void Apply(RevisionReleased e)
    {
        var revision = Revision(e.Revision);
        revision.State = LifecycleState.Released;
        revision.ReleasedAt = e.ReleasedAt;
        revision.ReleaseRecordedAt = e.RecordedAt;
        revision.PackageId = e.PackageId;
        revision.ChangeOrder = e.ChangeOrder;
        revision.ContentHash = e.ContentHash;
        CurrentRevision = e.Revision;
    }

    public void Apply(RevisionSuperseded e)
    {
        var revision = Revision(e.Revision);
        revision.State = LifecycleState.Superseded;
        revision.SupersededBy = e.SupersededBy;
        revision.SupersededAt = e.RecordedAt;
    }

    public RevisionView? FindRevision(string revision) => Revisions.Find(r => r.Revision == revision);

    /// <summary>
    /// Date-effectivity revision rule: of the revisions released as of <paramref name="asOf"/> (null: now),
    /// the one with the latest effectivity start on or before <paramref name="effective"/>.
    /// </summary>
    public RevisionView? RevisionEffectiveOn(LocalDate effective, Instant? asOf) =>
        Revisions
            .Where(r => r.IsReleasedAsOf(asOf) && r.EffectiveFrom <= effective)
            .OrderByDescending(r => r.EffectiveFrom)
            .ThenByDescending(r => r.ReleaseRecordedAt)
            .FirstOrDefault();

    /// <summary>Of the revisions released as of <paramref name="asOf"/>, the last one released before <paramref name="revision"/>.</summary>
    public RevisionView? RevisionReleasedBefore(RevisionView revision, Instant? asOf) =>
        Revisions.Where(r => r.IsReleasedAsOf(asOf) && r.ReleaseRecordedAt < revision.ReleaseRecordedAt).MaxBy(r => r.ReleaseRecordedAt);

    /// <summary>
    /// The released revisions (as of <paramref name="asOf"/>) with the production dates each one governs under
    /// the date-effectivity rule: from its effectivity start until the next revision's.
    /// </summary>
    public IEnumerable<(RevisionView Revision, Effectivity Dates)> RevisionPeriods(Instant? asOf)
    {
        var released = Revisions.Where(r => r.IsReleasedAsOf(asOf))
            .GroupBy(r => r.EffectiveFrom)
            .Select(g => g.MaxBy(r => r.ReleaseRecordedAt)!)
            .OrderBy(r => r.EffectiveFrom)
            .ToList();
        for (var i = 0; i < released.Count; i++)
        {
            yield return (released[i], new Effectivity(released[i].EffectiveFrom,
                i + 1 < released.Count ? released[i + 1].EffectiveFrom : null));
        }
    }

    public bool IsKnownAsOf(Instant? asOf) => asOf is null || RegisteredAt <= asOf;

    private RevisionView Revision(string revision) =>
        FindRevision(revision) ?? throw new InvalidOperationException($"{Id} has no revision {revision}");
}

public sealed class RevisionView
{
    public string Revision { get; set; } = "";
    public LifecycleState State { get; set; }
    public string Description { get; set; } = "";
    public string Unit { get; set; } = "";
    public PartType Type { get; set; }
    public decimal BaseQuantity { get; set; }
    public string BaseUnit { get; set; } = "";
    public LocalDate EffectiveFrom { get; set; }
    public Dictionary<string, string> Attributes { get; set; } = [];
    public ComplianceAttributes? Compliance { get; set; }
    public List<ApprovedManufacturer> ApprovedManufacturers { get; set; } = [];
    public List<BomLineView> Bom { get; set; } = [];
    public List<RoutedOperation> Operations { get; set; } = [];
    public List<UsedDocument> Documents { get; set; } = [];
    public Instant CreatedAt { get; set; }
    public Instant? ReleasedAt { get; set; }
    public Instant? ReleaseRecordedAt { get; set; }
    public string? PackageId { get; set; }
    public string? ChangeOrder { get; set; }
    public string? ContentHash { get; set; }
    public string? SupersededBy { get; set; }
    public Instant? SupersededAt { get; set; }

    /// <summary>The document revisions used as a whole and at these operations, by document number and revision.</summary>
    public IReadOnlyList<DocumentRevision> DocumentsUsed(IEnumerable<int> operationNumbers) =>
        [.. UsesAt(operationNumbers).Select(d => d.Document).Distinct()
            .OrderBy(d => d.DocumentNumber, StringComparer.Ordinal).ThenBy(d => d.Revision, StringComparer.Ordinal)];

    /// <summary>The uses of documents by the revision as a whole and by these operations.</summary>
    public IEnumerable<UsedDocument> UsesAt(IEnumerable<int> operationNumbers)
    {
        var operations = operationNumbers.ToHashSet();
        return Documents.Where(d => d.OperationNumber is not { } number || operations.Contains(number));
    }

    public bool IsReleasedAsOf(Instant? asOf) =>
        ReleaseRecordedAt is { } recorded && (asOf is null || recorded <= asOf.Value);
}

public sealed record BomLineView(
    int FindNumber,
    string PartNumber,
    decimal Quantity,
    string Unit,
    List<string> ReferenceDesignators,
    LocalDate EffectiveFrom,
    LocalDate? EffectiveTo);

/// <param name="OperationNumber">Null where the revision uses the document as a whole.</param>
public sealed record UsedDocument(int? OperationNumber, DocumentRevision Document);
