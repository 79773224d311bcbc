// Imports every rule file so their checks register; add a file here when you add one.
import './starmile-partner/auth.ts';
import './starmile-partner/scopes.ts';
import './starmile-partner/tenant.ts';
import './starmile-partner/services.ts';
import './starmile-partner/orders.ts';
import './starmile-partner/validation.ts';
import './starmile-partner/uniqueness.ts';
import './starmile-partner/region.ts';
import './starmile-partner/update.ts';
import './starmile-partner/cancel.ts';
import './starmile-partner/lifecycle.ts';
import './starmile-partner/feed.ts';
import './starmile-partner/events.ts';
import './starmile-partner/transport.ts';
import './starmile-partner/general.ts';
