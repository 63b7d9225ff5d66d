using Npgsql;

namespace ProductHub.Hub.Api;

/// <summary>
/// The ways Marten and PostgreSQL report that another writer got to a stream, document or row first: a version or
/// key taken, or two transactions locking each other out (a deadlock, a serialization failure), where one is rolled back.
/// </summary>
public static class WriteConflict
{
    public static bool Is(Exception e) => e switch
    {
        JasperFx.ConcurrencyException or JasperFx.DocumentAlreadyExistsException
            or JasperFx.Events.ExistingStreamIdCollisionException
            or Marten.Exceptions.ExistingStreamIdCollisionException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } => true,
        _ => e.InnerException is { } inner && Is(inner),
    };
}
