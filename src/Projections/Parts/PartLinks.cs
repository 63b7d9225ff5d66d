using Marten;
using Marten.Events.Projections;
using ProductHub.Domain.Parts;
using Weasel.Core;
using Weasel.Postgresql;
using static Weasel.Postgresql.SchemaUtils;
using Weasel.Postgresql.Tables;

namespace ProductHub.Projections.Parts;

/// <summary>
/// Which parts use which, one narrow row per parent and child whatever the revisions and lines between them: the
/// walk up a structure (a release's reach and its cycle check) follows an index here instead of unpacking where-used
/// documents, which hold every line of every revision and grow with each release of a parent.
/// </summary>
public sealed class PartLinksTable : Table
{
    public const string Name = "part_links";

    /// <summary>The table's qualified name in the hub's schema, for the SQL that reads or clears it.</summary>
    public static string In(string schema) => $"{schema}.{Name}";

    private readonly string _whereUsedTable;

    public PartLinksTable(string schema, string whereUsedTable) : base(new PostgresqlObjectName(schema, Name, IdentifierUsage.General))
    {
        _whereUsedTable = whereUsedTable;
        AddColumn<string>("child").AsPrimaryKey();
        AddColumn<string>("parent").AsPrimaryKey();
    }

    /// <summary>
    /// A hub that kept its links only in where-used documents gets them copied here when the table is created, in
    /// the same migration, so no walk ever runs on a half-filled table.
    /// </summary>
    public override void WriteCreateStatement(Migrator migrator, TextWriter writer)
    {
        base.WriteCreateStatement(migrator, writer);
        writer.WriteLine($"""
            DO $$ BEGIN
              IF to_regclass('{_whereUsedTable}') IS NOT NULL THEN
                INSERT INTO {Identifier.QualifiedName} (child, parent)
                  SELECT w.id, u->>'parentPartNumber' FROM {_whereUsedTable} w, jsonb_array_elements(w.data->'usages') u
                  ON CONFLICT DO NOTHING;
              END IF;
            END $$;
            """);
    }
}

/// <summary>Keeps <see cref="PartLinksTable"/>: a line adds its link once; links are never removed, as where-used keeps every revision's lines.</summary>
public sealed partial class PartLinksProjection : EventProjection
{
    private readonly string _insert;

    public PartLinksProjection(string table)
    {
        _insert = $"INSERT INTO {table} (child, parent) VALUES (?, ?) ON CONFLICT DO NOTHING";
    }

    public void Project(BomLineAdded e, IDocumentOperations ops) => ops.QueueSqlCommand(_insert, e.ChildPartNumber, e.PartNumber);
}
