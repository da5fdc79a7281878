// Desktop notifications as the person sees them: the permission is granted in
// playwright.config.ts, and each Notification the app raises is recorded by its title.
import type { Page } from '@playwright/test';

/** Call before page.goto: records the title of every Notification the page creates. */
export async function observeNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.Notification;
    const titles: string[] = [];
    (window as unknown as { notificationTitles: string[] }).notificationTitles = titles;
    window.Notification = class extends Native {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        titles.push(title);
      }
    } as typeof Notification;
  });
}

export function notificationTitles(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { notificationTitles: string[] }).notificationTitles]);
}
