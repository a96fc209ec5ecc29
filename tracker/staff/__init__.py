"""Staff pages outside the admin: adding a document, the review workbench, evidence suggestions."""
