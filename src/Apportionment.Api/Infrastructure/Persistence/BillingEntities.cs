using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>
/// How the host bills a service's partners: legal basis, VAT, settlement mode and the on-account schedule.
/// </summary>
public sealed class BillingTerms
{
    public required string ServiceCode { get; init; }
    public required string LegalBasis { get; set; }
    public required string VatTreatment { get; set; }
    /// <summary>
    /// True when the VAT treatment was set explicitly rather than taken from the legal basis's default.
    /// </summary>
    public bool VatOverridden { get; set; }
    public required string Mode { get; set; }
    public required string Schedule { get; set; }
    public required string Basis { get; set; }
    /// <summary>The estimated split (council to percentage) when the basis is "estimate".</summary>
    public Dictionary<string, decimal>? Estimate { get; set; }
    public int PaymentTermsDays { get; set; }
    public decimal? TolerancePercent { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedByKey { get; set; }
}

/// <summary>The last invoice number a host used in a financial year; its row lock makes numbering gap-free.</summary>
public sealed class InvoiceCounter
{
    public required string HostCouncil { get; init; }
    public int FinancialYear { get; init; }
    public int LastNumber { get; set; }
}

/// <summary>
/// An invoice or credit note from a service's host to a partner. Never deleted: cancelling raises a credit note.
/// </summary>
public sealed class Invoice
{
    public Guid Id { get; init; }
    public required string Number { get; init; }
    public required string HostCouncil { get; init; }
    /// <summary>
    /// The financial year the number belongs to (that of the issue date) and its place in the host's sequence.
    /// </summary>
    public int NumberYear { get; init; }
    public int Sequence { get; init; }
    public required string ServiceCode { get; init; }
    public required string Council { get; init; }
    /// <summary>
    /// "on-account", "final" (year-end further charge) or "credit-note" (a cancellation or a year-end refund).
    /// </summary>
    public required string Kind { get; init; }
    public required string Period { get; init; }
    public DateOnly PeriodFirst { get; init; }
    public DateOnly PeriodLast { get; init; }
    public decimal Net { get; init; }
    public decimal Vat { get; init; }
    public decimal Gross { get; init; }
    public required string VatTreatment { get; init; }
    public DateOnly IssuedOn { get; init; }
    public DateOnly DueOn { get; init; }
    public required string Status { get; set; }
    public decimal Paid { get; set; }
    /// <summary>For a cancellation credit note, the invoice it cancels.</summary>
    public Guid? Cancels { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid? IssuedByKey { get; init; }
}

/// <summary>A payment received against an invoice; append-only.</summary>
public sealed class InvoicePayment
{
    public Guid Id { get; init; }
    public Guid InvoiceId { get; init; }
    public decimal Amount { get; init; }
    public DateOnly PaidOn { get; init; }
    public required string Reference { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public Guid? RecordedByKey { get; init; }
}

/// <summary>A service's year-end, issued once: its row's key is what refuses a second issue.</summary>
public sealed class YearEndIssue
{
    public required string ServiceCode { get; init; }
    public int FinancialYear { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public Guid? IssuedByKey { get; init; }
}

public static class BillingModel
{
    public static void AddBilling(this ModelBuilder b)
    {
        b.Entity<BillingTerms>(e =>
        {
            e.HasKey(x => x.ServiceCode);
            e.Property(x => x.ServiceCode).HasMaxLength(16);
            e.Property(x => x.Estimate).HasColumnType("jsonb");
            e.Property(x => x.TolerancePercent).HasPrecision(5, 2);
            e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<InvoiceCounter>(e => e.HasKey(x => new { x.HostCouncil, x.FinancialYear }));

        b.Entity<Invoice>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Number).IsUnique();
            e.HasIndex(x => new { x.HostCouncil, x.NumberYear, x.Sequence }).IsUnique();
            // One live on-account invoice per partner and period, whatever the races.
            e.HasIndex(x => new { x.ServiceCode, x.Council, x.Period })
                .IsUnique().HasFilter("kind = 'on-account' and status <> 'cancelled'");
            e.HasIndex(x => new { x.Council, x.IssuedOn });
            e.Property(x => x.Number).HasMaxLength(40);
            e.Property(x => x.Period).HasMaxLength(16);
            e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Council>().WithMany().HasForeignKey(x => x.Council).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<InvoicePayment>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.InvoiceId, x.Reference }).IsUnique();
            e.HasOne<Invoice>().WithMany().HasForeignKey(x => x.InvoiceId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<YearEndIssue>(e =>
        {
            e.HasKey(x => new { x.ServiceCode, x.FinancialYear });
            e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
