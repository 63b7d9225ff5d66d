using Npgsql;

namespace ProductHub.Hub.Api;

/// <summary>The ways Marten reports that another writer got to a stream or document first.</summary>
public static class WriteConflict
{
    public static bool Is(Exception e) => e switch
    {
        JasperFx.ConcurrencyException or JasperFx.DocumentAlreadyExistsException
            or JasperFx.Events.ExistingStreamIdCollisionException
            or Marten.Exceptions.ExistingStreamIdCollisionException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        _ => e.InnerException is { } inner && Is(inner),
    };
}
