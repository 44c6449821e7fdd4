# Drawn by the replicate harness; run `gnuplot domain-task.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Domain task: medQ (quiz-answer loss, held-out medical headwords)"
set xlabel "tokens seen in the continual phase (thousands)"
set ylabel "medQ (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'domain-task.png'
plot 'domain-task.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'domain-task.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G0lo", \
     'domain-task.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G0s", \
     'domain-task.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G4", \
     'domain-task.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "G0mix", \
     1.79641276848489 with lines dt 2 lc rgb 'gray40' title "medQ at the start"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'domain-task.svg'
plot 'domain-task.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'domain-task.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G0lo", \
     'domain-task.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G0s", \
     'domain-task.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G4", \
     'domain-task.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "G0mix", \
     1.79641276848489 with lines dt 2 lc rgb 'gray40' title "medQ at the start"
unset output
