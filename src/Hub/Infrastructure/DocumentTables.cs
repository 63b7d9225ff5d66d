using Marten;

namespace ProductHub.Hub.Infrastructure;

/// <summary>The table Marten keeps a document type in, for the few queries written in SQL: asked of Marten, not spelled out.</summary>
public static class DocumentTables
{
    public static string Of<T>(IQuerySession session) =>
        session.DocumentStore.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;
}
