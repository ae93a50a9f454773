/* placeholder: being written */
int main (void);
