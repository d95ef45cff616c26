"""The admin console's HTTP routers (mounted by admin.mount)."""
