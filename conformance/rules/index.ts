// Imports every rule file so their checks register; add a file here when you add one.
import './starmile-partner/auth.ts';
